//! Money as the API writes it: `{"amount": "12.50", "currency": "CNY"}`.

use super::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A non-negative amount as a decimal string with exactly two decimals, and an ISO 4217
/// currency code. Never a float; not personal data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MoneyWire")]
pub struct Money {
    amount: String,
    currency: String,
}

/// Money as it arrives, before validation.
#[derive(Deserialize)]
struct MoneyWire {
    amount: String,
    currency: String,
}

impl Money {
    /// Parses an amount (`^\d+\.\d{2}$`) and a currency (three upper-case letters).
    pub fn parse(amount: &str, currency: &str) -> Result<Self, ParseError> {
        let (whole, cents) = amount
            .split_once('.')
            .ok_or(ParseError::new("amount", "must have exactly two decimals"))?;
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(cents) || cents.len() != 2 {
            return Err(ParseError::new(
                "amount",
                "must be a decimal with exactly two decimals",
            ));
        }
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ParseError::new(
                "currency",
                "must be three upper-case letters",
            ));
        }
        Ok(Self {
            amount: amount.to_owned(),
            currency: currency.to_owned(),
        })
    }

    /// The decimal amount, e.g. `"500.00"`.
    pub fn amount(&self) -> &str {
        &self.amount
    }

    /// The currency code, e.g. `"CNY"`.
    pub fn currency(&self) -> &str {
        &self.currency
    }
}

impl TryFrom<MoneyWire> for Money {
    type Error = ParseError;
    fn try_from(wire: MoneyWire) -> Result<Self, Self::Error> {
        Self::parse(&wire.amount, &wire.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::Money;

    #[test]
    fn parses_two_decimal_amounts() {
        let money = Money::parse("1234.50", "CNY").unwrap();
        assert_eq!(money.amount(), "1234.50");
        assert_eq!(money.currency(), "CNY");
        assert_eq!(money.to_string(), "1234.50 CNY");
    }

    #[test]
    fn rejects_other_amounts_and_currencies() {
        for amount in [
            "12", "12.5", "12.500", ".50", "-1.00", "1,00", "1.0a", "1e2.00", "",
        ] {
            assert_eq!(Money::parse(amount, "CNY").unwrap_err().field, "amount");
        }
        for currency in ["cny", "CN", "CNYY", "C1Y", ""] {
            assert_eq!(
                Money::parse("1.00", currency).unwrap_err().field,
                "currency"
            );
        }
    }

    #[test]
    fn serde_uses_the_api_shape_and_validates() {
        let json = r#"{"amount":"500.00","currency":"CNY"}"#;
        let money: Money = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&money).unwrap(), json);
        assert!(serde_json::from_str::<Money>(r#"{"amount":"500","currency":"CNY"}"#).is_err());
    }
}
