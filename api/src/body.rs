//! Request bodies: strict JSON (unknown fields rejected) turned into 400
//! `validation_failed` problems that name the field. Error details never echo values.

use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Parses a JSON body strictly.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|error| {
        let message = error.to_string();
        let field = quoted_field(&message);
        let detail = match (&field, error.classify()) {
            (Some(f), _) if message.starts_with("unknown field") => format!("unknown field {f}"),
            (Some(f), _) if message.starts_with("missing field") => format!("{f}: is required"),
            (_, serde_json::error::Category::Syntax | serde_json::error::Category::Eof) => {
                "the body is not valid JSON".to_owned()
            }
            _ => "the body does not match the expected fields and types".to_owned(),
        };
        ApiError::Validation { field, detail }
    })
}

/// The field named between backticks in serde's "unknown field `x`" / "missing field `x`".
fn quoted_field(message: &str) -> Option<String> {
    if !(message.starts_with("unknown field") || message.starts_with("missing field")) {
        return None;
    }
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// A free-text reference chosen by the caller: 1–128 printable characters.
pub fn reference(field: &str, value: &str) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 128 || trimmed.chars().any(char::is_control)
    {
        return Err(ApiError::field(
            field,
            format!("{field}: must be 1 to 128 printable characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        match parse::<Body>(br#"{"name":"x","extra":1}"#).unwrap_err() {
            ApiError::Validation { field, .. } => assert_eq!(field.as_deref(), Some("extra")),
            other => panic!("{other:?}"),
        }
        match parse::<Body>(br#"{}"#).unwrap_err() {
            ApiError::Validation { field, .. } => assert_eq!(field.as_deref(), Some("name")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn type_errors_do_not_echo_the_value() {
        let error = parse::<Body>(br#"{"name": 110101199003074512}"#).unwrap_err();
        assert!(!error.to_string().contains("110101199003074512"));
    }
}
