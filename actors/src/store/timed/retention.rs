//! Retention purges within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{Backfill, Purged, RetentionStore, StoreError};

#[async_trait]
impl<S: RetentionStore> RetentionStore for TimedStore<S> {
    async fn purge_finished(
        &self,
        finished_by_ms: i64,
        limit: usize,
    ) -> Result<Purged, StoreError> {
        let purge = self.inner.purge_finished(finished_by_ms, limit);
        self.within("purge_finished", purge).await
    }

    async fn backfill_finished(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Backfill, StoreError> {
        let backfill = self.inner.backfill_finished(cursor, limit);
        self.within("backfill_finished", backfill).await
    }

    async fn purge_lapsed_links(&self, lapsed_by_ms: i64, limit: usize) -> Result<u64, StoreError> {
        let purge = self.inner.purge_lapsed_links(lapsed_by_ms, limit);
        self.within("purge_lapsed_links", purge).await
    }

    async fn forget_revoked_accounts(
        &self,
        revoked_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError> {
        let forget = self.inner.forget_revoked_accounts(revoked_by_ms, limit);
        self.within("forget_revoked_accounts", forget).await
    }

    async fn purge_expired(&self, limit: usize) -> Result<Purged, StoreError> {
        self.within("purge_expired", self.inner.purge_expired(limit))
            .await
    }
}
