//! Attempt counters: how often something was tried in a window, kept durably so that a
//! limit on repeated failures holds across restarts and replicas.

use async_trait::async_trait;

use super::StoreError;

/// Counters of attempts in fixed windows.
#[async_trait]
pub trait AttemptStore: Send + Sync + 'static {
    /// Counts one more attempt against `key` in a fixed window of `window_ms` that the
    /// first attempt opens, and answers the count in the current window. Used to limit
    /// repeated failures (e.g. real-name mismatches).
    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError>;

    /// The attempts counted against `key` in its current window (0 once it lapsed).
    async fn attempts(&self, key: &str) -> Result<u64, StoreError>;
}
