//! Secondary indexes: named sets of members, so that callers find sagas by something
//! other than their id (the wallet, an account's open prompts).

use async_trait::async_trait;

use super::StoreError;

/// The secondary indexes.
#[async_trait]
pub trait IndexStore: Send + Sync + 'static {
    /// Adds `member` to the secondary index `index` (a set).
    async fn add(&self, index: &str, member: &str) -> Result<(), StoreError>;

    /// Removes `member` from the secondary index `index`.
    async fn remove(&self, index: &str, member: &str) -> Result<(), StoreError>;

    /// Members of the secondary index `index`.
    async fn members(&self, index: &str) -> Result<Vec<String>, StoreError>;
}
