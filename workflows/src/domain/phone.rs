//! Phone numbers in E.164 form.

use super::{mask_tail, ParseError};
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "phone";

/// `+` followed by 8 to 15 digits, the first not zero.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses an E.164 phone number.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits = raw
            .strip_prefix('+')
            .ok_or(ParseError::new(FIELD, "must start with + (E.164)"))?;
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(
                FIELD,
                "must be + and 8 to 15 digits (E.164)",
            ));
        }
        if digits.starts_with('0') {
            return Err(ParseError::new(FIELD, "country code cannot start with 0"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The clear value, for party calls only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", mask_tail(&self.0, 2))
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_tail(&self.0, 2))
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    #[test]
    fn parses_e164() {
        assert!(Phone::parse("+8613800138000").is_ok());
        assert!(Phone::parse("13800138000").is_err());
        assert!(Phone::parse("+0123456789").is_err());
        assert!(Phone::parse("+86 138").is_err());
    }
}
