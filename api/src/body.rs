//! Request bodies: strict JSON (unknown fields rejected) turned into 400
//! `validation_failed` problems that name the field. Error details never echo values.

use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Parses a JSON body strictly. The problem names the field at fault: unknown, missing,
/// or of the wrong type.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    if parsed.is_ok() && deserializer.end().is_err() {
        return Err(ApiError::Validation {
            field: None,
            detail: "the body is not valid JSON".to_owned(),
        });
    }
    parsed.map_err(|error| {
        let path = error.path().to_string();
        let error = error.into_inner();
        let message = error.to_string();
        let quoted = quoted_field(&message);
        let at_path = Some(path).filter(|p| p != "." && !p.is_empty());
        match (quoted, error.classify()) {
            (Some(f), _) if message.starts_with("unknown field") => ApiError::Validation {
                detail: format!("unknown field {f}"),
                field: Some(f),
            },
            (Some(f), _) => ApiError::Validation {
                detail: format!("{f}: is required"),
                field: Some(f),
            },
            (None, serde_json::error::Category::Syntax | serde_json::error::Category::Eof) => {
                ApiError::Validation {
                    field: None,
                    detail: "the body is not valid JSON".to_owned(),
                }
            }
            (None, _) => match at_path {
                Some(field) => ApiError::Validation {
                    detail: format!("{field}: has the wrong type or an unknown value"),
                    field: Some(field),
                },
                None => ApiError::Validation {
                    field: None,
                    detail: "the body must be a JSON object with the documented fields".to_owned(),
                },
            },
        }
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
    fn type_errors_name_the_field_without_echoing_the_value() {
        let error = parse::<Body>(br#"{"name": 110101199003074512}"#).unwrap_err();
        assert!(!error.to_string().contains("110101199003074512"));
        match error {
            ApiError::Validation { field, .. } => assert_eq!(field.as_deref(), Some("name")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn trailing_garbage_is_not_valid_json() {
        assert!(parse::<Body>(br#"{"name":"x"} x"#).is_err());
    }
}
