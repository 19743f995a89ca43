//! The lease store within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{LeaseStore, StoreError};

#[async_trait]
impl<S: LeaseStore> LeaseStore for TimedStore<S> {
    async fn acquire(
        &self,
        id: &str,
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Option<u64>, StoreError> {
        self.within("acquire_lease", self.inner.acquire(id, replica, ttl_ms))
            .await
    }

    async fn renew(
        &self,
        held: &[(String, u64)],
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Vec<String>, StoreError> {
        self.within("renew_leases", self.inner.renew(held, replica, ttl_ms))
            .await
    }

    async fn release(&self, id: &str, replica: &str, token: u64) -> Result<(), StoreError> {
        self.within("release_lease", self.inner.release(id, replica, token))
            .await
    }

    async fn orphans(&self) -> Result<Vec<String>, StoreError> {
        self.within("orphans", self.inner.orphans()).await
    }
}
