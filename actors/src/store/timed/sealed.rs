//! The sealed values within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{SealedKind, SealedPage, SealedStore, StoreError};

#[async_trait]
impl<S: SealedStore> SealedStore for TimedStore<S> {
    async fn sealed_page(
        &self,
        kind: SealedKind,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<SealedPage, StoreError> {
        let page = self.inner.sealed_page(kind, cursor, limit);
        self.within("sealed_page", page).await
    }

    async fn reseal(
        &self,
        kind: SealedKind,
        key: &str,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError> {
        self.within("reseal", self.inner.reseal(kind, key, old, new))
            .await
    }
}
