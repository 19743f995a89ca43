//! Secondary indexes of the embedded store: one `INDEX_ROWS` row per member, written in
//! the transaction of the saga write that adds or drops it.

use async_trait::async_trait;
use redb::{Database, WriteTransaction};

use super::tables::{OrEmbedded, INDEX_ROWS};
use super::EmbeddedStore;
use crate::store::{IndexKey, IndexMember, IndexStore, StoreError};

#[async_trait]
impl IndexStore for EmbeddedStore {
    async fn members(&self, index: &str) -> Result<Vec<IndexMember>, StoreError> {
        let index = index.to_owned();
        self.run(move |db| members(db, &index)).await
    }
}

fn members(db: &Database, index: &str) -> Result<Vec<IndexMember>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let rows = txn.open_table(INDEX_ROWS).embedded()?;
    let mut members = Vec::new();
    // The empty string sorts first, so the scan starts at the index's first member.
    for row in rows.range((index, "")..).embedded()? {
        let (key, saga_id) = row.embedded()?;
        let (name, member) = key.value();
        if name != index {
            break;
        }
        members.push(IndexMember {
            member: member.to_owned(),
            saga_id: saga_id.value().to_owned(),
        });
    }
    Ok(members)
}

/// Adds the rows `add`, pointing at saga `id`, and drops the rows `remove`, inside the
/// write transaction of the saga's insert or commit.
pub(super) fn apply(
    txn: &WriteTransaction,
    id: &str,
    add: &[IndexKey],
    remove: &[IndexKey],
) -> Result<(), StoreError> {
    let mut rows = txn.open_table(INDEX_ROWS).embedded()?;
    for row in add {
        rows.insert((row.index.as_str(), row.member.as_str()), id)
            .embedded()?;
    }
    for row in remove {
        rows.remove((row.index.as_str(), row.member.as_str()))
            .embedded()?;
    }
    Ok(())
}
