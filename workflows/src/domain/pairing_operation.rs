//! What two people pair for (`pay`, `add_contact`): chosen by the wallet, shown to the
//! person who claims the code.

use super::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// 1 to 32 characters of `a-z` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PairingOperation(String);

impl PairingOperation {
    /// Parses an operation name.
    pub fn parse(raw: &str) -> Result<PairingOperation, ParseError> {
        let valid = (1..=32).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if !valid {
            return Err(ParseError::new(
                "operation",
                "must be 1 to 32 characters of a-z and _",
            ));
        }
        Ok(PairingOperation(raw.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PairingOperation {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PairingOperation> for String {
    fn from(value: PairingOperation) -> Self {
        value.0
    }
}

impl fmt::Display for PairingOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::PairingOperation;

    #[test]
    fn takes_lower_case_letters_and_underscores() {
        assert_eq!(
            PairingOperation::parse("add_contact").unwrap().as_str(),
            "add_contact"
        );
        for raw in ["", "Pay", "pay now", "pay1", "é", &"a".repeat(33)] {
            assert_eq!(
                PairingOperation::parse(raw).unwrap_err().field,
                "operation",
                "{raw:?}"
            );
        }
        assert!(PairingOperation::parse(&"a".repeat(32)).is_ok());
    }
}
