//! Request bodies: read only when declared JSON, then strict JSON (unknown fields
//! rejected) turned into 400 `validation_failed` problems that name the field. Error
//! details never echo values.

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::{HeaderMap, CONTENT_TYPE};
use actix_web::{web, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// The body of a JSON endpoint, read whole. Extracted after the caller (so that 401 and
/// 403 come first), it refuses a body sent without `Content-Type: application/json` (415),
/// one over the limit (413), and one that its `Content-Encoding` does not decode (400).
/// An empty body needs no content type; parsing it then says what is missing.
pub struct JsonBody(pub web::Bytes);

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<JsonBody, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared_json = declares_json(req.headers());
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|error| {
                error
                    .as_error::<PayloadError>()
                    .map_or_else(unreadable, payload_problem)
            })?;
            if !bytes.is_empty() && !declared_json {
                return Err(ApiError::UnsupportedMediaType(
                    "the body must be sent with Content-Type: application/json".to_owned(),
                ));
            }
            Ok(JsonBody(bytes))
        })
    }
}

/// Whether the request says, once, that its body is `application/json` (parameters such
/// as `charset` allowed, case-insensitive).
fn declares_json(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_TYPE);
    match (values.next(), values.next()) {
        (Some(value), None) => value
            .to_str()
            .ok()
            .and_then(|value| value.split(';').next())
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json")),
        _ => false,
    }
}

/// The problem for a body that could not be read: too large (413), or not decodable
/// (400). Actix's own text for these quotes Rust debug output, never sent to a client.
pub fn payload_problem(error: &PayloadError) -> ApiError {
    match error {
        PayloadError::Overflow => ApiError::PayloadTooLarge {
            limit_kib: crate::app::BODY_LIMIT / 1024,
        },
        PayloadError::UnknownLength => ApiError::field(
            "Content-Length",
            "Content-Length: must be a number of bytes",
        ),
        _ => unreadable(),
    }
}

fn unreadable() -> ApiError {
    ApiError::Validation {
        field: None,
        detail: "the body could not be read or decoded as its Content-Encoding says".to_owned(),
    }
}

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
            // A value JSON cannot spell (a bare `NaN`): name where it stood.
            (None, serde_json::error::Category::Syntax) if at_path.is_some() => {
                let field = at_path.unwrap_or_default();
                ApiError::Validation {
                    detail: format!("{field}: is not a valid JSON value"),
                    field: Some(field),
                }
            }
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
    fn json_is_declared_once_with_any_parameters_and_case() {
        let declared = |values: &[&str]| {
            let mut request = actix_web::test::TestRequest::default();
            for value in values {
                request = request.append_header((CONTENT_TYPE, *value));
            }
            declares_json(request.to_http_request().headers())
        };
        for value in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
        ] {
            assert!(declared(&[value]), "{value:?}");
        }
        for values in [
            &[][..],
            &["text/plain"],
            &["application/jsonx"],
            &["application/x-www-form-urlencoded"],
            &["application/json", "application/json"],
        ] {
            assert!(!declared(values), "{values:?}");
        }
    }

    #[test]
    fn payload_errors_become_problems_without_debug_text() {
        let too_large = payload_problem(&PayloadError::Overflow);
        assert_eq!(too_large.code(), "payload_too_large");
        let corrupt = payload_problem(&PayloadError::EncodingCorrupted);
        assert_eq!(corrupt.code(), "validation_failed");
        let incomplete = payload_problem(&PayloadError::Incomplete(Some(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "incomplete deflate stream",
        ))));
        assert!(!incomplete.to_string().contains("deflate stream"));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Place {
        location: Location,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Location {
        lat: f64,
    }

    #[test]
    fn a_value_json_cannot_spell_names_its_field() {
        match parse::<Place>(br#"{"location": {"lat": NaN}}"#).unwrap_err() {
            ApiError::Validation { field, .. } => {
                assert_eq!(field.as_deref(), Some("location.lat"))
            }
            other => panic!("{other:?}"),
        }
        match parse::<Place>(br#"{"location": "#).unwrap_err() {
            ApiError::Validation { field, .. } => assert_eq!(field, None),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn trailing_garbage_is_not_valid_json() {
        assert!(parse::<Body>(br#"{"name":"x"} x"#).is_err());
    }
}
