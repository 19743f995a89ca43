//! The tail of a resident id number that a client collects as partial real-name info.

use super::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "id_number_suffix";

/// The last 4 to 6 characters of a resident id as the client typed them: digits, the last
/// one may be the check character `X` (a lowercase `x` is normalised to upper case).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdSuffix(String);

impl IdSuffix {
    /// Parses a suffix; surrounding whitespace is ignored.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value = raw.trim().to_ascii_uppercase();
        if !(4..=6).contains(&value.len()) || !value.is_ascii() {
            return Err(ParseError::new(FIELD, "must be 4 to 6 characters"));
        }
        let (body, last) = value.split_at(value.len() - 1);
        let body_ok = body.bytes().all(|b| b.is_ascii_digit());
        let last_ok = last.bytes().all(|b| b.is_ascii_digit() || b == b'X');
        if !(body_ok && last_ok) {
            return Err(ParseError::new(
                FIELD,
                "must be digits, the last one may be X",
            ));
        }
        Ok(Self(value))
    }

    /// The clear value, for real-name matching only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdSuffix {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<IdSuffix> for String {
    fn from(value: IdSuffix) -> Self {
        value.0
    }
}

/// Fully masked: a suffix is already the part of an id number that would otherwise be shown.
impl fmt::Debug for IdSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdSuffix({})", "*".repeat(self.0.len()))
    }
}

/// Fully masked, as in `Debug`.
impl fmt::Display for IdSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&"*".repeat(self.0.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::IdSuffix;

    #[test]
    fn accepts_4_to_6_characters_and_normalises_x() {
        assert_eq!(IdSuffix::parse("002x").unwrap().expose(), "002X");
        assert_eq!(IdSuffix::parse(" 31002X ").unwrap().expose(), "31002X");
        assert_eq!(IdSuffix::parse("231002").unwrap().expose(), "231002");
    }

    #[test]
    fn rejects_wrong_lengths_and_characters() {
        for bad in [
            "02X",
            "1231002",
            "0X2X",
            "X002",
            "00 2X",
            "００２X",
            "abcd",
            "",
        ] {
            let error = IdSuffix::parse(bad).unwrap_err();
            assert_eq!(error.field, "id_number_suffix", "{bad:?}");
        }
    }

    #[test]
    fn masks_in_debug_and_display() {
        let suffix = IdSuffix::parse("1002X").unwrap();
        assert_eq!(format!("{suffix:?}"), "IdSuffix(*****)");
        assert_eq!(format!("{suffix}"), "*****");
    }

    #[test]
    fn serde_parses_on_the_way_in() {
        let suffix: IdSuffix = serde_json::from_str("\"002x\"").unwrap();
        assert_eq!(serde_json::to_string(&suffix).unwrap(), "\"002X\"");
        assert!(serde_json::from_str::<IdSuffix>("\"12\"").is_err());
    }
}
