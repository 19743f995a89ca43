//! Leases on the embedded store: its one process holds every lease, so a saga with work
//! is always its own to drive, and a sweep finds every active saga.

use async_trait::async_trait;

use super::{EmbeddedStore, SOLE_LEASE};
use crate::store::{LeaseStore, SagaStore, StoreError};

#[async_trait]
impl LeaseStore for EmbeddedStore {
    async fn acquire(&self, id: &str, _: &str, _: u64) -> Result<Option<u64>, StoreError> {
        Ok(self.load(id).await?.map(|_| SOLE_LEASE))
    }

    async fn renew(&self, _: &[(String, u64)], _: &str, _: u64) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }

    async fn release(&self, _: &str, _: &str, _: u64) -> Result<(), StoreError> {
        Ok(())
    }

    async fn orphans(&self) -> Result<Vec<String>, StoreError> {
        self.active().await
    }
}
