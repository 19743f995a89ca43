//! Checks on request fields that serde alone cannot express; each names the
//! offending field so a caller can fix its request. Beside each check, the schema
//! that documents it, so the OpenAPI document states exactly what is accepted.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::Object;

use onboard_workflows::domain::{invisible_class, is_invisible};

use crate::error::ApiError;

/// The shortest card number: its last four digits are shown.
const CARD_MIN_DIGITS: usize = 4;

/// A field that must show something: not empty, and not only blank or invisible
/// characters (zero-width, bidi controls), which would read as empty to a person.
pub(crate) fn required(field: &str, value: &str) -> Result<(), ApiError> {
    if value.chars().all(is_invisible) {
        return Err(ApiError::Validation(format!(
            "`{field}` must contain a visible character"
        )));
    }
    Ok(())
}

/// A card number: only digits, at least four of them so its last four can be shown.
pub(crate) fn card_number(field: &str, value: &str) -> Result<(), ApiError> {
    if value.len() < CARD_MIN_DIGITS || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ApiError::Validation(format!(
            "`{field}` must be a card number of at least 4 digits"
        )));
    }
    Ok(())
}

/// Deserialises a whole number written as an integer or as a number with a zero fraction
/// (`3` or `3.0`): JSON Schema counts both as an `integer`, so a client built from the
/// document may send either.
pub(crate) fn whole_number<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = number.as_u64().or_else(|| {
        number
            .as_f64()
            .filter(|value| value.fract() == 0.0 && (0.0..u64::MAX as f64).contains(value))
            .map(|value| value as u64)
    });
    whole
        .and_then(|value| T::try_from(value).ok())
        .ok_or_else(|| D::Error::custom("expected a non-negative whole number in range"))
}

/// [`whole_number`] for an optional field (absent or `null`: `None`).
pub(crate) fn optional_whole_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    #[derive(Deserialize)]
    struct Whole<T: TryFrom<u64>>(#[serde(deserialize_with = "whole_number")] T);
    Ok(Option::<Whole<T>>::deserialize(deserializer)?.map(|Whole(value)| value))
}

/// The schema of a field checked with [`required`]: a string with a visible character.
pub(crate) fn required_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .pattern(Some(format!("[^{}]", invisible_class())))
        .description(Some(
            "Required: at least one visible character (not only white space, controls, \
             zero-width or bidi-control characters).",
        ))
        .build()
}

/// The schema of a field checked with [`card_number`].
pub(crate) fn card_number_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(CARD_MIN_DIGITS))
        .pattern(Some(format!("^[0-9]{{{CARD_MIN_DIGITS},}}$")))
        .description(Some("A card number: at least 4 digits, nothing else."))
        .examples([serde_json::json!("4111111111111111")])
        .build()
}

/// The schema of an optional field checked with [`card_number`] when present.
pub(crate) fn optional_card_number_schema() -> Object {
    let mut schema = card_number_schema();
    schema.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_blank_and_non_digit_values() {
        assert!(required("name", "  ").is_err());
        assert!(required("name", "\u{200B}\u{202E}\u{2066}\u{FEFF}\u{00AD}").is_err());
        assert!(required("name", "Li Lei").is_ok());
        assert!(card_number("card_number", "123").is_err());
        assert!(card_number("card_number", "4111 1111").is_err());
        assert!(card_number("card_number", "4111111111111111").is_ok());
    }

    #[test]
    fn the_documented_pattern_names_the_invisible_characters_required_refuses() {
        let pattern = required_schema().pattern.expect("pattern");
        assert_eq!(pattern, format!("[^{}]", invisible_class()));
        for invisible in ["\u{200B}", "\u{2800}", "\u{E0041}", "\u{3000}"] {
            assert!(required("f", invisible).is_err(), "{invisible:?}");
        }
    }

    #[derive(Debug, Deserialize)]
    struct Counts {
        #[serde(deserialize_with = "whole_number")]
        times: u32,
        #[serde(default, deserialize_with = "optional_whole_number")]
        delay_ms: Option<u64>,
    }

    #[test]
    fn whole_numbers_may_carry_a_zero_fraction() {
        let parse = |json: &str| serde_json::from_str::<Counts>(json);
        let counts = parse(r#"{"times": 3.0, "delay_ms": 250}"#).unwrap();
        assert_eq!((counts.times, counts.delay_ms), (3, Some(250)));
        assert_eq!(parse(r#"{"times": 3}"#).unwrap().delay_ms, None);
        assert_eq!(
            parse(r#"{"times": 3, "delay_ms": null}"#).unwrap().delay_ms,
            None
        );
        for bad in [
            r#"{"times": 3.5}"#,
            r#"{"times": -1}"#,
            r#"{"times": 4294967296}"#,
            r#"{"times": "3"}"#,
            r#"{"times": 1e300}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
