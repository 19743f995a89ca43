//! A time limit on every store operation, whichever the backend.
//!
//! Without it an operation waits as long as its backend does: redis-rs's connection
//! manager holds a command until a reconnection succeeds, so with Redis unreachable a
//! request hung for a minute and was then carried out long after its client gave up.
//! Here an operation that outlives the limit is dropped and fails with
//! [`StoreError::TimedOut`]. A dropped command that was not written yet is never written
//! (redis-rs skips queued commands whose caller is gone, and the embedded store skips
//! jobs whose caller is gone); a write that had already left refuses to apply once the
//! limit has passed (see the Redis backend's scripts).

use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;

use super::{
    DueTimer, IdempotencyClaim, InsertOutcome, ListFilter, NewSaga, SagaStore, StoreError,
    StoredSaga, Transition,
};

/// A store whose every operation answers within `limit`: a result, or
/// [`StoreError::TimedOut`].
pub struct TimedStore<S> {
    inner: S,
    limit: Duration,
}

impl<S: SagaStore> TimedStore<S> {
    /// Bounds every operation of `inner` by `limit` (the setting `store.timeout_ms`).
    pub fn new(inner: S, limit: Duration) -> TimedStore<S> {
        TimedStore { inner, limit }
    }

    async fn within<T>(
        &self,
        operation: &'static str,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        tokio::time::timeout(self.limit, work)
            .await
            .unwrap_or_else(|_elapsed| {
                Err(StoreError::TimedOut {
                    operation,
                    limit_ms: u64::try_from(self.limit.as_millis()).unwrap_or(u64::MAX),
                })
            })
    }
}

#[async_trait]
impl<S: SagaStore> SagaStore for TimedStore<S> {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        self.within("insert", self.inner.insert(saga)).await
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        self.within("load", self.inner.load(id)).await
    }

    async fn commit(&self, transition: &Transition) -> Result<(), StoreError> {
        self.within("commit", self.inner.commit(transition)).await
    }

    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        self.within("journal", self.inner.journal(id)).await
    }

    async fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<DueTimer>, StoreError> {
        self.within("due_timers", self.inner.due_timers(now_ms, limit))
            .await
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        self.within("active", self.inner.active()).await
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        self.within("armed_timers", self.inner.armed_timers()).await
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        self.within("list", self.inner.list(filter)).await
    }

    async fn index_add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        self.within("index_add", self.inner.index_add(index, member))
            .await
    }

    async fn index_remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        self.within("index_remove", self.inner.index_remove(index, member))
            .await
    }

    async fn index_members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        self.within("index_members", self.inner.index_members(index))
            .await
    }

    async fn idempotency_claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        let claim = self
            .inner
            .idempotency_claim(key, fingerprint, in_flight_ttl_ms);
        self.within("idempotency_claim", claim).await
    }

    async fn idempotency_complete(
        &self,
        key: &str,
        fingerprint: &[u8],
        response: &[u8],
        ttl_ms: u64,
    ) -> Result<(), StoreError> {
        let complete = self
            .inner
            .idempotency_complete(key, fingerprint, response, ttl_ms);
        self.within("idempotency_complete", complete).await
    }

    async fn idempotency_release(&self, key: &str) -> Result<(), StoreError> {
        self.within("idempotency_release", self.inner.idempotency_release(key))
            .await
    }

    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        self.within("count_attempt", self.inner.count_attempt(key, window_ms))
            .await
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        self.within("attempts", self.inner.attempts(key)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.within("ping", self.inner.ping()).await
    }
}
