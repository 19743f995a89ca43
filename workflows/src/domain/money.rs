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

/// The most digits a payment amount has before the point.
const MAX_WHOLE_DIGITS: usize = 15;

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

    /// Parses a payment amount, which must be above zero: a whole number or one with one
    /// or two decimals (`12`, `12.5`, `12.50`), written back with exactly two; at most 15
    /// digits before the point. More decimals, a sign, or zero are refused.
    pub fn positive(amount: &str, currency: &str) -> Result<Self, ParseError> {
        let (whole, cents) = amount.split_once('.').unwrap_or((amount, ""));
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > MAX_WHOLE_DIGITS || !digits(whole) {
            return Err(ParseError::new(
                "amount",
                "must be a decimal number with at most 15 digits before the point",
            ));
        }
        if cents.len() > 2 || !digits(cents) || amount.ends_with('.') {
            return Err(ParseError::new("amount", "must have at most two decimals"));
        }
        let normalised = format!("{whole}.{cents:0<2}");
        if normalised.bytes().all(|b| matches!(b, b'0' | b'.')) {
            return Err(ParseError::new("amount", "must be above zero"));
        }
        Self::parse(&normalised, currency)
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
    fn a_payment_amount_is_above_zero_with_at_most_two_decimals() {
        for (given, written) in [("12", "12.00"), ("12.5", "12.50"), ("0.01", "0.01")] {
            assert_eq!(Money::positive(given, "CNY").unwrap().amount(), written);
        }
        for bad in [
            "0",
            "0.00",
            "00.0",
            "12.345",
            "-1",
            "+1",
            "1.",
            ".5",
            "",
            "1e3",
            "1 ",
            "1234567890123456",
        ] {
            assert_eq!(
                Money::positive(bad, "CNY").unwrap_err().field,
                "amount",
                "{bad:?}"
            );
        }
        assert_eq!(Money::positive("1", "cny").unwrap_err().field, "currency");
    }

    #[test]
    fn serde_uses_the_api_shape_and_validates() {
        let json = r#"{"amount":"500.00","currency":"CNY"}"#;
        let money: Money = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&money).unwrap(), json);
        assert!(serde_json::from_str::<Money>(r#"{"amount":"500","currency":"CNY"}"#).is_err());
    }
}
