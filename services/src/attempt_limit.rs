//! Durable limits on repeated failures (real-name mismatches, refused savings cards):
//! counted in the store, so they hold across restarts and replicas.

use std::sync::Arc;

use onboard_actors::store::{AttemptStore, StoreError};
use onboard_workflows::domain::WorkflowId;

/// Why an attempt limit did not admit or count an attempt.
#[derive(Debug, thiserror::Error)]
pub enum AttemptLimitError {
    /// The key has used up its failures; the window lapses within `retry_after_secs`.
    #[error("too many failures; retry in {retry_after_secs} s")]
    Limited {
        /// Seconds until the window surely lapsed.
        retry_after_secs: u64,
    },
    /// The store did not answer, so the limit cannot be judged.
    #[error("attempt counts unavailable: {0}")]
    Unavailable(#[from] StoreError),
}

/// At most `max` failures per key in a window opened by the first one; the next attempt
/// is refused until the window lapses.
pub struct AttemptLimit {
    store: Arc<dyn AttemptStore>,
    max: u64,
    window_ms: u64,
}

impl AttemptLimit {
    /// A limit of `max` failures per `window_ms`, counted in `store`.
    pub fn new(store: Arc<dyn AttemptStore>, max: u64, window_ms: u64) -> AttemptLimit {
        AttemptLimit {
            store,
            max,
            window_ms,
        }
    }

    /// Refuses when `key` has used up its failures.
    pub async fn ensure_open(&self, key: &str) -> Result<(), AttemptLimitError> {
        if self.store.attempts(key).await? >= self.max {
            return Err(AttemptLimitError::Limited {
                retry_after_secs: self.window_ms.div_ceil(1000),
            });
        }
        Ok(())
    }

    /// Counts one failure against `key`; answers the failures in the window so far.
    pub async fn count_failure(&self, key: &str) -> Result<u64, AttemptLimitError> {
        Ok(self.store.count_attempt(key, self.window_ms).await?)
    }
}

/// The limit on savings cards refused for one credit application: five per hour, so a
/// client cannot probe whose cards are whose.
pub struct CardRefusals(AttemptLimit);

impl CardRefusals {
    /// Refused cards one application may have per window.
    const MAX: u64 = 5;
    /// The window.
    const WINDOW_MS: u64 = 60 * 60 * 1000;

    /// The limit, counted in `store`.
    pub fn new(store: Arc<dyn AttemptStore>) -> CardRefusals {
        CardRefusals(AttemptLimit::new(store, Self::MAX, Self::WINDOW_MS))
    }

    /// Refuses when the application `id` has had too many cards refused.
    pub async fn ensure_open(&self, id: &WorkflowId) -> Result<(), AttemptLimitError> {
        self.0.ensure_open(&Self::counter(id)).await
    }

    /// Counts one refused card against the application `id`.
    pub async fn count_refusal(&self, id: &WorkflowId) -> Result<u64, AttemptLimitError> {
        self.0.count_failure(&Self::counter(id)).await
    }

    fn counter(id: &WorkflowId) -> String {
        format!("savings_card_refusals:{id}")
    }
}
