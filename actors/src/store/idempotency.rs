//! API idempotency records: a request claims its key, then completes it with the response
//! to replay, or releases it when it failed without effect.

use async_trait::async_trait;

use super::StoreError;

/// The state of an API idempotency key when a request claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// Nobody used the key before: the caller now owns it and must complete or release it.
    Claimed,
    /// Another request with this key is still being processed.
    InFlight {
        /// Fingerprint of that request's body.
        fingerprint: Vec<u8>,
    },
    /// A request with this key finished; its response is to be replayed.
    Completed {
        /// Fingerprint of that request's body.
        fingerprint: Vec<u8>,
        /// The stored response, opaque to the store.
        response: Vec<u8>,
    },
}

/// What completing a claimed key records: the response to replay to a later request with
/// the same key and fingerprint, kept for `ttl_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Completion<'a> {
    /// The claimed key.
    pub key: &'a str,
    /// Fingerprint of the request's body.
    pub fingerprint: &'a [u8],
    /// The response, opaque to the store.
    pub response: &'a [u8],
    /// How long it is replayed.
    pub ttl_ms: u64,
    /// The saga the response is about, if any: the record is deleted with that saga
    /// (see [`super::RetentionStore::purge_finished`]), as its response shows the saga.
    pub saga_id: Option<&'a str>,
}

/// The durable records behind API idempotency keys, shared by every replica.
#[async_trait]
pub trait IdempotencyStore: Send + Sync + 'static {
    /// Claims an API idempotency key, or reports who holds it. A claim lapses after
    /// `in_flight_ttl_ms` so that a crashed request does not block the key forever.
    async fn claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError>;

    /// Records the response of a claimed key.
    async fn complete(&self, completion: &Completion<'_>) -> Result<(), StoreError>;

    /// Gives a claimed key back (the request failed and changed nothing).
    async fn release(&self, key: &str) -> Result<(), StoreError>;
}
