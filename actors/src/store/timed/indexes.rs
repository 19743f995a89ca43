//! Index reads within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{IndexStore, StoreError};

#[async_trait]
impl<S: IndexStore> IndexStore for TimedStore<S> {
    async fn add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        self.within("index_add", self.inner.add(index, member))
            .await
    }

    async fn remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        self.within("index_remove", self.inner.remove(index, member))
            .await
    }

    async fn members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        self.within("index_members", self.inner.members(index))
            .await
    }
}
