//! Key pins: a fingerprint of a secret the deployment must not change by mistake, kept in
//! the store on first start and compared on every later one. The HMAC key is one: it
//! derives workflow ids from Idempotency-Keys, so a key changed silently would let a
//! retried request start its saga a second time.

use async_trait::async_trait;

use super::StoreError;

/// The fingerprints of pinned keys, by name. A fingerprint is never the key itself (an
/// HMAC of a fixed label under it), so the store learns nothing of the key.
#[async_trait]
pub trait KeyPinStore: Send + Sync + 'static {
    /// Records `fingerprint` as the pin of `name` unless one is recorded, in one atomic
    /// step (replicas starting together agree on one pin), and answers the pin recorded
    /// now: the one found, or `fingerprint` when this call recorded it.
    async fn pin(&self, name: &str, fingerprint: &str) -> Result<String, StoreError>;

    /// Records `fingerprint` as the pin of `name`, replacing any: the operator's deliberate
    /// change of the key.
    async fn replace_pin(&self, name: &str, fingerprint: &str) -> Result<(), StoreError>;
}
