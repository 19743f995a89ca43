//! Idempotency records within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{Completion, IdempotencyClaim, IdempotencyStore, StoreError};

#[async_trait]
impl<S: IdempotencyStore> IdempotencyStore for TimedStore<S> {
    async fn claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        let claim = self.inner.claim(key, fingerprint, in_flight_ttl_ms);
        self.within("idempotency_claim", claim).await
    }

    async fn complete(&self, completion: &Completion<'_>) -> Result<(), StoreError> {
        let complete = self.inner.complete(completion);
        self.within("idempotency_complete", complete).await
    }

    async fn release(&self, key: &str) -> Result<(), StoreError> {
        self.within("idempotency_release", self.inner.release(key))
            .await
    }
}
