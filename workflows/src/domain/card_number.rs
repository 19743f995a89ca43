//! Payment card numbers: 12 to 19 digits passing the Luhn check.

use super::{mask_tail, ParseError};
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "card_number";

/// A card number that passes Luhn; spaces are removed on parsing.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardNumber(String);

impl CardNumber {
    /// Parses a card number.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let digits: String = raw.chars().filter(|c| *c != ' ').collect();
        if !(12..=19).contains(&digits.len()) {
            return Err(ParseError::new(FIELD, "must be 12 to 19 digits"));
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new(FIELD, "must contain only digits"));
        }
        if !luhn_valid(&digits) {
            return Err(ParseError::new(FIELD, "fails the Luhn check"));
        }
        Ok(Self(digits))
    }

    /// The clear value, for party calls only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four digits, which may be shown to people and operators.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl TryFrom<String> for CardNumber {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CardNumber> for String {
    fn from(value: CardNumber) -> Self {
        value.0
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardNumber({})", mask_tail(&self.0, 4))
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_tail(&self.0, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::CardNumber;

    #[test]
    fn accepts_luhn_valid_numbers() {
        assert_eq!(
            CardNumber::parse("4111 1111 1111 1111").unwrap().last4(),
            "1111"
        );
        assert!(CardNumber::parse("4000000000000002").is_ok());
    }

    #[test]
    fn rejects_bad_numbers() {
        assert!(CardNumber::parse("4111111111111112").is_err());
        assert!(CardNumber::parse("41111").is_err());
        assert!(CardNumber::parse("4111-1111-1111-1111").is_err());
    }

    #[test]
    fn masks_in_debug() {
        let card = CardNumber::parse("4111111111111111").unwrap();
        assert_eq!(format!("{card:?}"), "CardNumber(************1111)");
    }
}
