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

/// The check digit that makes `body` followed by it pass the Luhn check, or `None` when
/// `body` is not all ASCII digits. Public so that made-up card numbers (the bench's) are
/// completed by the same arithmetic that checks them.
pub fn luhn_check_digit(body: &str) -> Option<char> {
    if !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum = luhn_sum(&format!("{body}0"));
    char::from_digit((10 - sum % 10) % 10, 10)
}

fn luhn_valid(digits: &str) -> bool {
    luhn_sum(digits).is_multiple_of(10)
}

/// The Luhn sum of ASCII digits: every second one from the right doubled (less 9 when over
/// 9), the rightmost, the check digit, not.
fn luhn_sum(digits: &str) -> u32 {
    digits
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
        .sum()
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
    use super::{luhn_check_digit, CardNumber};

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
    fn check_digit_completes_a_valid_number() {
        assert_eq!(luhn_check_digit("411111111111111"), Some('1'));
        assert_eq!(luhn_check_digit("400000000000000"), Some('2'));
        let body = "620001000000042";
        let check = luhn_check_digit(body).unwrap();
        assert!(CardNumber::parse(&format!("{body}{check}")).is_ok());
        assert_eq!(luhn_check_digit("4111 1111"), None);
    }

    #[test]
    fn masks_in_debug() {
        let card = CardNumber::parse("4111111111111111").unwrap();
        assert_eq!(format!("{card:?}"), "CardNumber(************1111)");
    }
}
