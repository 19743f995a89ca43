//! Attempt counters on Redis: one integer key per counter whose Redis expiry, set by the
//! window's first attempt, ends the window.

use async_trait::async_trait;

use super::RedisStore;
use crate::store::{AttemptStore, StoreError};

#[async_trait]
impl AttemptStore for RedisStore {
    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        let key = self.counter_key(key);
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg(&key)
            .cmd("PEXPIRE")
            .arg(&key)
            // Redis refuses an expiry of 0; the shortest one it accepts behaves the same.
            .arg(window_ms.max(1))
            .arg("NX")
            .ignore()
            .query_async(&mut self.con())
            .await?;
        Ok(count)
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        let count: Option<u64> = redis::cmd("GET")
            .arg(self.counter_key(key))
            .query_async(&mut self.con())
            .await?;
        Ok(count.unwrap_or(0))
    }
}
