//! The short code one person shows and another types to pair face to face.

use super::ParseError;
use std::fmt;

/// How many codes there are: six decimal digits.
pub const CODE_SPACE: u32 = 1_000_000;

/// Six decimal digits, `000000` to `999999`. A live code is a bearer secret for a
/// minute or two, so `Debug` hides it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PairingCode(u32);

impl PairingCode {
    /// Parses exactly six ASCII digits, as a person types them.
    pub fn parse(raw: &str) -> Result<PairingCode, ParseError> {
        if raw.len() != 6 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseError::new("code", "must be exactly 6 digits"));
        }
        raw.parse()
            .map(PairingCode)
            .map_err(|_| ParseError::new("code", "must be exactly 6 digits"))
    }

    /// The code numbered `number`, if it is below [`CODE_SPACE`].
    pub fn from_number(number: u32) -> Option<PairingCode> {
        (number < CODE_SPACE).then_some(PairingCode(number))
    }

    /// The code's number, for the store.
    pub fn number(&self) -> u32 {
        self.0
    }
}

impl fmt::Display for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl fmt::Debug for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PairingCode(******)")
    }
}

#[cfg(test)]
mod tests {
    use super::PairingCode;

    #[test]
    fn parses_six_digits_only() {
        assert_eq!(PairingCode::parse("004217").unwrap().to_string(), "004217");
        assert_eq!(PairingCode::parse("999999").unwrap().number(), 999_999);
        for raw in [
            "",
            "12345",
            "1234567",
            "12345a",
            " 12345",
            "+12345",
            "１２３４５６",
            "12 456",
        ] {
            assert_eq!(
                PairingCode::parse(raw).unwrap_err().field,
                "code",
                "{raw:?}"
            );
        }
        assert!(PairingCode::from_number(1_000_000).is_none());
        assert_eq!(
            format!("{:?}", PairingCode::parse("123456").unwrap()),
            "PairingCode(******)"
        );
    }
}
