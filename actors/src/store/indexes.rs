//! Secondary indexes: sets of members, each pointing at the saga that holds it, so that
//! callers find sagas by something other than their id (the wallet, an account's open
//! prompts). Rows are written only with their saga, by [`super::SagaStore::insert`] and
//! [`super::SagaStore::commit`], so an index never disagrees with the sagas' state; this
//! store reads them.

use async_trait::async_trait;

use super::StoreError;

/// One row of a secondary index: `member` of the index named `index`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexKey {
    /// The index, e.g. `prompts:<payment account id>`.
    pub index: String,
    /// The member, unique within its index (e.g. a prompt id).
    pub member: String,
}

/// What one saga write does to the rows that point at the saga.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexChanges {
    /// Rows to add, pointing at the saga.
    pub add: Vec<IndexKey>,
    /// Rows to drop.
    pub remove: Vec<IndexKey>,
}

/// A member of an index and the saga it points at, as stored data: nobody has to take a
/// member apart to find its saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexMember {
    /// The member.
    pub member: String,
    /// The saga holding it.
    pub saga_id: String,
}

/// Reads of the secondary indexes.
#[async_trait]
pub trait IndexStore: Send + Sync + 'static {
    /// The members of the index `index` with the saga each points at, ordered by member.
    async fn members(&self, index: &str) -> Result<Vec<IndexMember>, StoreError>;
}
