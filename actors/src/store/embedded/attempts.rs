//! Attempt counters of the embedded store: one `COUNTERS` row per key with the end of
//! its window, since redb has no expiring keys.

use async_trait::async_trait;
use redb::{Database, ReadableTable};

use super::tables::{OrEmbedded, COUNTERS};
use super::EmbeddedStore;
use crate::store::{clock, AttemptStore, StoreError};

#[async_trait]
impl AttemptStore for EmbeddedStore {
    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        let key = key.to_owned();
        self.run(move |db| count_attempt(db, &key, window_ms)).await
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        let key = key.to_owned();
        self.run(move |db| attempts(db, &key)).await
    }
}

fn count_attempt(db: &Database, key: &str, window_ms: u64) -> Result<u64, StoreError> {
    let now = clock::now_ms();
    let txn = db.begin_write().embedded()?;
    let count = {
        let mut counters = txn.open_table(COUNTERS).embedded()?;
        let current = counters.get(key).embedded()?.map(|row| row.value());
        let (count, ends) = match current {
            Some((count, ends)) if ends > now => (count + 1, ends),
            _ => (1, clock::after(now, window_ms)),
        };
        counters.insert(key, (count, ends)).embedded()?;
        count
    };
    txn.commit().embedded()?;
    Ok(count)
}

fn attempts(db: &Database, key: &str) -> Result<u64, StoreError> {
    let now = clock::now_ms();
    let txn = db.begin_read().embedded()?;
    let counters = txn.open_table(COUNTERS).embedded()?;
    let current = counters.get(key).embedded()?.map(|row| row.value());
    Ok(match current {
        Some((count, ends)) if ends > now => count,
        _ => 0,
    })
}
