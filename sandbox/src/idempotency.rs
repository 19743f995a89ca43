//! Idempotency keys: a retried party call with the same key and body gets the
//! first answer again instead of a second effect.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ApiError;
use crate::operation::Operation;

/// The header carrying the key.
pub(crate) const HEADER: &str = "Idempotency-Key";
/// The longest key accepted.
pub(crate) const MAX_LEN: usize = 255;

/// A validated `Idempotency-Key` header value.
#[derive(Debug, Clone)]
pub(crate) struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Reads the key from the request: 1–255 visible ASCII characters.
    pub(crate) fn from_request(request: &HttpRequest) -> Result<IdempotencyKey, ApiError> {
        let value = request.headers().get(HEADER).ok_or(ApiError::KeyMissing)?;
        IdempotencyKey::parse(value.as_bytes())
    }

    fn parse(bytes: &[u8]) -> Result<IdempotencyKey, ApiError> {
        let visible = bytes.iter().all(|byte| byte.is_ascii_graphic());
        if bytes.is_empty() || bytes.len() > MAX_LEN || !visible {
            return Err(ApiError::KeyInvalid);
        }
        let key = String::from_utf8(bytes.to_vec()).map_err(|_| ApiError::KeyInvalid)?;
        Ok(IdempotencyKey(key))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Keys are scoped per (party, operation): the same key sent to two
    /// operations names two different calls.
    pub(crate) fn scope(&self, operation: Operation) -> String {
        format!(
            "{}/{}/{}",
            operation.party().name(),
            operation.name(),
            self.0
        )
    }
}

/// The answer given to the first call with a key, replayed byte for byte.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub(crate) fn to_response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        HttpResponse::build(status)
            .content_type("application/json")
            .body(self.body.clone())
    }
}

/// What is kept per key: the request, to recognise reuse with another body,
/// and the reply to replay.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct IdempotencyRecord {
    pub scope: String,
    pub request: Value,
    pub reply: Reply,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_visible_ascii_of_bounded_length() {
        assert!(IdempotencyKey::parse(b"wf_1:register_account").is_ok());
        assert!(IdempotencyKey::parse(b"").is_err());
        assert!(IdempotencyKey::parse(b"has space").is_err());
        assert!(IdempotencyKey::parse(&[b'k'; 256]).is_err());
        assert!(IdempotencyKey::parse(&[b'k'; 255]).is_ok());
    }

    #[test]
    fn scope_names_party_and_operation() {
        let key = IdempotencyKey::parse(b"k1").unwrap();
        assert_eq!(key.scope(Operation::BindCard), "wallet/bind_card/k1");
    }
}
