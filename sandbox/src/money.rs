//! Money as the API writes it: a decimal string with two decimals and a
//! currency. Amounts are handled as integer cents, never as floats.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Object;

use crate::error::ApiError;

/// The currency of every amount the sandbox parties deal in.
const CURRENCY: &str = "CNY";

/// The most integer digits an amount may have: far above any sandbox amount,
/// low enough that every accepted amount fits in `u64` cents.
const MAX_INTEGER_DIGITS: usize = 15;

/// An amount as a decimal string with its currency, as everywhere in the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SandboxMoney)]
pub(crate) struct Money {
    /// Two decimals, e.g. `5000.00`.
    #[schema(pattern = r"^[0-9]+\.[0-9]{2}$", example = "5000.00")]
    pub amount: String,
    /// Always `CNY`.
    #[schema(example = "CNY")]
    pub currency: String,
}

impl Money {
    /// An amount in yuan, given in cents.
    pub(crate) fn cny(cents: u64) -> Money {
        Money {
            amount: format_cents(cents),
            currency: CURRENCY.to_owned(),
        }
    }
}

/// Parses a non-negative decimal amount (`"1234"`, `"1234.5"`, `"1234.50"`)
/// into cents; anything else is a validation error naming `field`.
pub(crate) fn parse_cents(field: &str, value: &str) -> Result<u64, ApiError> {
    let invalid = || {
        ApiError::Validation(format!(
            "`{field}` must be a non-negative decimal amount with at most two decimals"
        ))
    };
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty()
        || whole.len() > MAX_INTEGER_DIGITS
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 2
        || (value.contains('.') && fraction.is_empty())
    {
        return Err(invalid());
    }
    let whole: u64 = whole.parse().map_err(|_| invalid())?;
    let fraction: u64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    Ok(whole * 100 + fraction)
}

/// The schema of an amount [`parse_cents`] accepts.
pub(crate) fn amount_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!(
            "^[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\\.[0-9]{{1,2}})?$"
        )))
        .description(Some(
            "A non-negative decimal amount with at most two decimals, e.g. `1234.50`.",
        ))
        .examples([serde_json::json!("1234.50")])
        .build()
}

/// Formats cents as a decimal string with two decimals: `123456` → `"1234.56"`.
pub(crate) fn format_cents(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_up_to_two_decimals() {
        assert_eq!(parse_cents("f", "0").unwrap(), 0);
        assert_eq!(parse_cents("f", "1234").unwrap(), 123_400);
        assert_eq!(parse_cents("f", "1234.5").unwrap(), 123_450);
        assert_eq!(parse_cents("f", "1234.56").unwrap(), 123_456);
        assert_eq!(parse_cents("f", "0.07").unwrap(), 7);
        assert_eq!(
            parse_cents("f", "999999999999999.99").unwrap(),
            99_999_999_999_999_999
        );
    }

    #[test]
    fn rejects_anything_else() {
        for bad in [
            "",
            ".5",
            "1.",
            "1.234",
            "-1.00",
            "+1",
            "1,00",
            "1e3",
            " 1",
            "1.0.0",
            "1000000000000000",
        ] {
            assert!(parse_cents("f", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(7), "0.07");
        assert_eq!(format_cents(123_450), "1234.50");
        assert_eq!(Money::cny(25_000).amount, "250.00");
        assert_eq!(Money::cny(25_000).currency, "CNY");
    }
}
