//! PRC resident identity numbers (GB 11643): 17 digits and an ISO 7064 MOD 11-2 check character.

use super::{mask_tail, ParseError};
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "id_number";
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An 18-character resident id whose check character is right.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses an id number; a lowercase `x` check character is accepted and normalised.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let value = raw.trim().to_ascii_uppercase();
        // ASCII first: `len` counts bytes, and `split_at` must not fall inside a character.
        if value.len() != 18 || !value.is_ascii() {
            return Err(ParseError::new(FIELD, "must be 18 characters"));
        }
        let (body, check) = value.split_at(17);
        let mut sum = 0;
        for (c, weight) in body.chars().zip(WEIGHTS) {
            let digit = c.to_digit(10).ok_or(ParseError::new(
                FIELD,
                "the first 17 characters must be digits",
            ))?;
            sum += digit * weight;
        }
        let expected = CHECK_CHARS[(sum % 11) as usize];
        if !check.starts_with(expected) {
            return Err(ParseError::new(FIELD, "check character does not match"));
        }
        Ok(Self(value))
    }

    /// The clear value, for party calls only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last `n` characters, which a client may collect as partial real-name info.
    pub fn suffix(&self, n: usize) -> &str {
        &self.0[self.0.len().saturating_sub(n)..]
    }
}

impl TryFrom<String> for IdNumber {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<IdNumber> for String {
    fn from(value: IdNumber) -> Self {
        value.0
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", mask_tail(&self.0, 4))
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_tail(&self.0, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::IdNumber;

    #[test]
    fn accepts_a_valid_number_and_masks_it() {
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert_eq!(id.expose(), "11010519491231002X");
        assert_eq!(format!("{id}"), "**************002X");
        assert!(!format!("{id:?}").contains("1101051949"));
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        assert!(IdNumber::parse("110105194912310021").is_err());
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert!(IdNumber::parse("11010519491231002").is_err());
        assert!(IdNumber::parse("1101051949123100AX").is_err());
    }

    #[test]
    fn rejects_18_bytes_that_are_not_18_ascii_characters() {
        for raw in ["1101011990030745é", "110101199003074é4", "１１０１０１"] {
            assert_eq!(
                IdNumber::parse(raw).unwrap_err().field,
                "id_number",
                "{raw:?}"
            );
        }
    }
}
