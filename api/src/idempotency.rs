//! API idempotency: the same caller, `Idempotency-Key` and body get the first response
//! again; another body gets 422; a request still in flight gets 409.

use std::future::Future;
use std::sync::Arc;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use hmac::{Hmac, Mac};
use onboard_actors::store::{IdempotencyClaim, SagaStore};
use onboard_actors::SagaView;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::auth::Caller;
use crate::problem::ApiError;

/// How long a claim by a request that crashed blocks its key.
const IN_FLIGHT_TTL_MS: u64 = 30_000;

/// A response worth replaying: status, optional `Location`, JSON body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recorded {
    /// HTTP status.
    pub status: u16,
    /// `Location` header, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// JSON body.
    pub body: serde_json::Value,
}

impl Recorded {
    /// 202 with a workflow just started, located under `collection` (e.g. `/v1/onboardings`).
    pub fn accepted(view: &SagaView, collection: &str) -> Recorded {
        Recorded {
            status: 202,
            location: Some(format!("{collection}/{}", view.id)),
            body: serde_json::to_value(view).expect("views serialise"),
        }
    }

    /// 200 with a workflow.
    pub fn workflow(view: &SagaView) -> Recorded {
        Recorded {
            status: 200,
            location: None,
            body: serde_json::to_value(view).expect("views serialise"),
        }
    }

    /// The HTTP response of the record.
    pub fn respond(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let mut response = HttpResponse::build(status);
        if let Some(location) = &self.location {
            response.insert_header((header::LOCATION, location.clone()));
        }
        response.json(&self.body)
    }
}

/// The idempotency records and the key that fingerprints requests and derives ids.
pub struct Idempotency {
    store: Arc<dyn SagaStore>,
    hmac_key: Vec<u8>,
    ttl_ms: u64,
}

impl Idempotency {
    /// Records in `store`, fingerprinted with `hmac_key`, replayed for `ttl_secs`.
    pub fn new(store: Arc<dyn SagaStore>, hmac_key: Vec<u8>, ttl_secs: u64) -> Idempotency {
        Idempotency {
            store,
            hmac_key,
            ttl_ms: ttl_secs.saturating_mul(1000),
        }
    }

    /// The request's `Idempotency-Key`, if sent; 1–255 visible ASCII characters. Sent
    /// twice, it is refused: replaying by one of two keys would be a guess.
    pub fn key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
        let mut values = req.headers().get_all("Idempotency-Key");
        let Some(value) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(ApiError::field(
                "Idempotency-Key",
                "Idempotency-Key: must be sent once",
            ));
        }
        let key = value.to_str().unwrap_or_default();
        let valid = (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
        if !valid {
            return Err(ApiError::field(
                "Idempotency-Key",
                "Idempotency-Key: must be 1 to 255 visible ASCII characters",
            ));
        }
        Ok(Some(key.to_owned()))
    }

    fn mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.hmac_key).expect("HMAC takes any key");
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// A resource id for a new resource: derived from (caller, key) when a key is sent,
    /// so that a retry after a crash finds the same resource; random otherwise.
    pub fn resource_id(&self, prefix: &str, caller: &Caller, key: Option<&str>) -> String {
        match key {
            Some(key) => {
                let mac = self.mac(&[
                    b"resource",
                    prefix.as_bytes(),
                    caller.id.as_bytes(),
                    key.as_bytes(),
                ]);
                format!("{prefix}_{}", hex::encode(&mac[..16]))
            }
            None => format!("{prefix}_{}", uuid::Uuid::new_v4().simple()),
        }
    }

    /// Runs `handler` at most once per (caller, key, route, body).
    pub async fn run<F, Fut>(
        &self,
        caller: &Caller,
        key: Option<&str>,
        route: &str,
        body: &[u8],
        handler: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Recorded, ApiError>>,
    {
        let Some(key) = key else {
            return handler().await.map(|r| r.respond());
        };
        let record_key = format!("{}:{}", caller.id, hex::encode(self.mac(&[key.as_bytes()])));
        let fingerprint = self.mac(&[b"request", route.as_bytes(), body]);
        let claim = self
            .store
            .idempotency_claim(&record_key, &fingerprint, IN_FLIGHT_TTL_MS)
            .await
            .map_err(unavailable)?;
        match claim {
            IdempotencyClaim::Claimed => match handler().await {
                Ok(recorded) => {
                    let bytes = serde_json::to_vec(&recorded).expect("records serialise");
                    self.store
                        .idempotency_complete(&record_key, &fingerprint, &bytes, self.ttl_ms)
                        .await
                        .map_err(unavailable)?;
                    Ok(recorded.respond())
                }
                Err(error) => {
                    if let Err(release) = self.store.idempotency_release(&record_key).await {
                        tracing::warn!(error = %release, "idempotency key not released");
                    }
                    Err(error)
                }
            },
            IdempotencyClaim::InFlight {
                fingerprint: theirs,
            } if theirs == fingerprint => Err(ApiError::IdempotencyKeyInUse),
            IdempotencyClaim::Completed {
                fingerprint: theirs,
                response,
            } if theirs == fingerprint => {
                let recorded: Recorded =
                    serde_json::from_slice(&response).map_err(|_| ApiError::Unavailable)?;
                Ok(recorded.respond())
            }
            _ => Err(ApiError::IdempotencyKeyReused),
        }
    }
}

fn unavailable(error: onboard_actors::store::StoreError) -> ApiError {
    tracing::error!(%error, "idempotency store failed");
    ApiError::Unavailable
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn key_of(values: &[&str]) -> Result<Option<String>, ApiError> {
        let mut request = TestRequest::default();
        for value in values {
            request = request.append_header(("Idempotency-Key", *value));
        }
        Idempotency::key(&request.to_http_request())
    }

    #[test]
    fn reads_one_key_or_none() {
        assert_eq!(key_of(&["k-1"]).unwrap().as_deref(), Some("k-1"));
        assert_eq!(key_of(&[]).unwrap(), None);
    }

    #[test]
    fn refuses_a_key_sent_twice_or_invalid() {
        for values in [&["k-1", "k-2"][..], &["k-1", "k-1"], &[""], &["a b"]] {
            match key_of(values) {
                Err(ApiError::Validation { field, .. }) => {
                    assert_eq!(field.as_deref(), Some("Idempotency-Key"), "{values:?}")
                }
                other => panic!("{values:?}: {other:?}"),
            }
        }
    }
}
