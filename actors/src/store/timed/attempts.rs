//! Attempt counters within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{AttemptStore, StoreError};

#[async_trait]
impl<S: AttemptStore> AttemptStore for TimedStore<S> {
    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        self.within("count_attempt", self.inner.count_attempt(key, window_ms))
            .await
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        self.within("attempts", self.inner.attempts(key)).await
    }
}
