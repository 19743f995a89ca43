//! A time limit on every store operation, whichever the backend and the store.
//!
//! Without it an operation waits as long as its backend does: redis-rs's connection
//! manager holds a command until a reconnection succeeds, so with Redis unreachable a
//! request hung for a minute and was then carried out long after its client gave up.
//! Here an operation that outlives the limit is dropped and fails with
//! [`StoreError::TimedOut`]. A dropped command that was not written yet is never written
//! (redis-rs skips queued commands whose caller is gone, and the embedded store skips
//! jobs whose caller is gone); a write that had already left refuses to apply once the
//! limit has passed (see the Redis backend's scripts).

mod attempts;
mod idempotency;
mod indexes;
mod key_pins;
mod leases;
mod links;
mod pairing;
mod retention;
mod sagas;
mod sealed;
mod tickets;

use std::future::Future;
use std::time::Duration;

use super::StoreError;

/// A backend whose every operation, in each store it implements, answers within
/// `limit`: a result, or [`StoreError::TimedOut`].
pub struct TimedStore<S> {
    inner: S,
    limit: Duration,
}

impl<S> TimedStore<S> {
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
