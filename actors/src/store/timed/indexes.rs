//! Index reads within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{IndexMember, IndexStore, StoreError};

#[async_trait]
impl<S: IndexStore> IndexStore for TimedStore<S> {
    async fn members(&self, index: &str) -> Result<Vec<IndexMember>, StoreError> {
        self.within("index_members", self.inner.members(index))
            .await
    }
}
