//! API idempotency: the same caller, key and request get the first response again;
//! another request under the key is refused; so is one while the first is in flight.
//!
//! The interface is free of HTTP — a caller id, the client's key, an operation name,
//! the request's bytes and a [`StoredResponse`] — so the replay is tested against both
//! stores, and reading the key from a header stays with the API.

mod response;

use std::future::Future;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use onboard_actors::store::{Completion, IdempotencyClaim, IdempotencyStore, StoreError};
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::SagaKind;
use sha2::Sha256;

pub use response::StoredResponse;

/// How long a claim by a request that crashed blocks its key.
const IN_FLIGHT_TTL_MS: u64 = 30_000;

/// Why a request under an idempotency key was neither run nor replayed.
#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    /// The key was first used with another request (operation or body).
    #[error("the key was used with a different request")]
    KeyReused,
    /// The key's first request is still being processed.
    #[error("a request with this key is still in flight")]
    InFlight,
    /// The store did not answer; the request was not run (or its response not kept).
    #[error("idempotency records unavailable: {0}")]
    Unavailable(#[from] StoreError),
    /// The stored response cannot be read back.
    #[error("the stored response cannot be read: {0}")]
    Corrupt(#[source] serde_json::Error),
}

/// The idempotency records and the key that fingerprints requests and derives ids.
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    hmac_key: Vec<u8>,
    ttl_ms: u64,
}

impl Idempotency {
    /// Records in `store`, fingerprinted with `hmac_key`, replayed for `ttl_secs`.
    pub fn new(store: Arc<dyn IdempotencyStore>, hmac_key: Vec<u8>, ttl_secs: u64) -> Idempotency {
        Idempotency {
            store,
            hmac_key,
            ttl_ms: ttl_secs.saturating_mul(1000),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.hmac_key).expect("HMAC takes any key");
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }

    /// The id of a new workflow of `kind`: derived from (caller, key) when a key is sent,
    /// so that a retry after a crash finds the same workflow; random otherwise. The MAC
    /// covers the kind's id prefix, so one key never derives the same bits for two kinds.
    pub fn workflow_id(&self, kind: SagaKind, caller_id: &str, key: Option<&str>) -> WorkflowId {
        let bytes = match key {
            Some(key) => {
                let mac = self.mac(&[
                    b"resource",
                    kind.id_prefix().as_bytes(),
                    caller_id.as_bytes(),
                    key.as_bytes(),
                ]);
                let mut bytes = [0; 16];
                bytes.copy_from_slice(&mac[..16]);
                bytes
            }
            None => uuid::Uuid::new_v4().into_bytes(),
        };
        WorkflowId::new(kind, bytes)
    }

    /// Runs `handler` at most once per (caller, key, operation, body) and answers its
    /// response, or the one stored by the first run. Without a key it simply runs. A
    /// handler that fails gives the key back, as its request changed nothing.
    pub async fn run<F, Fut, E>(
        &self,
        caller_id: &str,
        key: Option<&str>,
        operation: &str,
        body: &[u8],
        handler: F,
    ) -> Result<StoredResponse, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<StoredResponse, E>>,
        E: From<IdempotencyError>,
    {
        let Some(key) = key else {
            return handler().await;
        };
        let record_key = format!("{caller_id}:{}", hex::encode(self.mac(&[key.as_bytes()])));
        let fingerprint = self.mac(&[b"request", operation.as_bytes(), body]);
        let claim = self
            .store
            .claim(&record_key, &fingerprint, IN_FLIGHT_TTL_MS)
            .await
            .map_err(IdempotencyError::from)?;
        match claim {
            IdempotencyClaim::Claimed => match handler().await {
                Ok(response) => {
                    let completion = Completion {
                        key: &record_key,
                        fingerprint: &fingerprint,
                        response: &response.encode(),
                        ttl_ms: self.ttl_ms,
                        saga_id: response.saga_id.as_deref(),
                    };
                    self.store
                        .complete(&completion)
                        .await
                        .map_err(IdempotencyError::from)?;
                    Ok(response)
                }
                Err(error) => {
                    if let Err(release) = self.store.release(&record_key).await {
                        tracing::warn!(error = %release, "idempotency key not released");
                    }
                    Err(error)
                }
            },
            IdempotencyClaim::InFlight {
                fingerprint: theirs,
            } if theirs == fingerprint => Err(IdempotencyError::InFlight.into()),
            IdempotencyClaim::Completed {
                fingerprint: theirs,
                response,
            } if theirs == fingerprint => {
                Ok(StoredResponse::decode(&response).map_err(IdempotencyError::Corrupt)?)
            }
            _ => Err(IdempotencyError::KeyReused.into()),
        }
    }
}
