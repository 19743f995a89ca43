//! Durable limits on repeated failures (real-name mismatches, refused savings cards):
//! counted in the store, so they hold across restarts and replicas.

use std::sync::Arc;

use onboard_actors::store::{SagaStore, StoreError};

use crate::problem::ApiError;

/// At most `max` failures per key in a window opened by the first one; the next attempt
/// is refused with 429 until the window lapses.
pub struct AttemptLimit {
    store: Arc<dyn SagaStore>,
    max: u64,
    window_ms: u64,
}

impl AttemptLimit {
    /// A limit of `max` failures per `window_ms`, counted in `store`.
    pub fn new(store: Arc<dyn SagaStore>, max: u64, window_ms: u64) -> AttemptLimit {
        AttemptLimit {
            store,
            max,
            window_ms,
        }
    }

    /// Refuses with 429 when `key` has used up its failures.
    pub async fn ensure_open(&self, key: &str) -> Result<(), ApiError> {
        if self.store.attempts(key).await.map_err(unavailable)? >= self.max {
            return Err(ApiError::RateLimited {
                retry_after_secs: self.window_ms.div_ceil(1000),
            });
        }
        Ok(())
    }

    /// Counts one failure against `key`; answers the failures in the window so far.
    pub async fn count_failure(&self, key: &str) -> Result<u64, ApiError> {
        self.store
            .count_attempt(key, self.window_ms)
            .await
            .map_err(unavailable)
    }
}

/// The limit on savings cards refused for one credit application: five per hour.
pub struct CardRefusals(pub AttemptLimit);

impl CardRefusals {
    /// Refused cards one application may have per window.
    const MAX: u64 = 5;
    /// The window.
    const WINDOW_MS: u64 = 60 * 60 * 1000;

    /// The limit, counted in `store`.
    pub fn new(store: Arc<dyn SagaStore>) -> CardRefusals {
        CardRefusals(AttemptLimit::new(store, Self::MAX, Self::WINDOW_MS))
    }
}

fn unavailable(error: StoreError) -> ApiError {
    tracing::error!(%error, "store failed");
    ApiError::Unavailable
}
