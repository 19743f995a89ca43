//! The saga store within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{
    DueTimer, InsertOutcome, ListFilter, NewSaga, SagaStore, StoreError, StoredSaga, Transition,
};

#[async_trait]
impl<S: SagaStore> SagaStore for TimedStore<S> {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        self.within("insert", self.inner.insert(saga)).await
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        self.within("load", self.inner.load(id)).await
    }

    async fn commit(&self, transition: &Transition) -> Result<Option<u64>, StoreError> {
        self.within("commit", self.inner.commit(transition)).await
    }

    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        self.within("journal", self.inner.journal(id)).await
    }

    async fn claim_due_timers(
        &self,
        now_ms: i64,
        limit: usize,
        hold_until_ms: i64,
    ) -> Result<Vec<DueTimer>, StoreError> {
        let claim = self.inner.claim_due_timers(now_ms, limit, hold_until_ms);
        self.within("claim_due_timers", claim).await
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        self.within("active", self.inner.active()).await
    }

    async fn paused(&self) -> Result<u64, StoreError> {
        self.within("paused", self.inner.paused()).await
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        self.within("armed_timers", self.inner.armed_timers()).await
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        self.within("list", self.inner.list(filter)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.within("ping", self.inner.ping()).await
    }
}
