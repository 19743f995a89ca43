//! Secondary indexes of the embedded store: one `INDEX_ROWS` row per member, written in
//! the transaction of the saga write that adds or drops it.

use async_trait::async_trait;
use redb::{Database, ReadableTable, WriteTransaction};

use super::tables::{OrEmbedded, INDEX_ROWS, SAGA_ROWS};
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
/// write transaction of the saga's insert or commit; `SAGA_ROWS` follows.
pub(super) fn apply(
    txn: &WriteTransaction,
    id: &str,
    add: &[IndexKey],
    remove: &[IndexKey],
) -> Result<(), StoreError> {
    let mut rows = txn.open_table(INDEX_ROWS).embedded()?;
    let mut held = txn.open_table(SAGA_ROWS).embedded()?;
    for row in add {
        let (index, member) = (row.index.as_str(), row.member.as_str());
        rows.insert((index, member), id).embedded()?;
        held.insert((id, index, member), ()).embedded()?;
    }
    for row in remove {
        let (index, member) = (row.index.as_str(), row.member.as_str());
        rows.remove((index, member)).embedded()?;
        held.remove((id, index, member)).embedded()?;
    }
    Ok(())
}

/// Drops every row saga `id` holds, inside the write transaction that deletes it.
pub(super) fn drop_all(txn: &WriteTransaction, id: &str) -> Result<(), StoreError> {
    let mut rows = txn.open_table(INDEX_ROWS).embedded()?;
    let mut held = txn.open_table(SAGA_ROWS).embedded()?;
    let mut mine = Vec::new();
    for row in held.range((id, "", "")..).embedded()? {
        let (key, _) = row.embedded()?;
        let (saga, index, member) = key.value();
        if saga != id {
            break;
        }
        mine.push((index.to_owned(), member.to_owned()));
    }
    for (index, member) in &mine {
        let (index, member) = (index.as_str(), member.as_str());
        let points_here = rows
            .get((index, member))
            .embedded()?
            .is_some_and(|saga| saga.value() == id);
        if points_here {
            rows.remove((index, member)).embedded()?;
        }
        held.remove((id, index, member)).embedded()?;
    }
    Ok(())
}
