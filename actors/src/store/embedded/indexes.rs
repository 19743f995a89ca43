//! Secondary indexes of the embedded store: one `INDEXES` row per member.

use async_trait::async_trait;
use redb::Database;

use super::tables::{OrEmbedded, INDEXES};
use super::EmbeddedStore;
use crate::store::{IndexStore, StoreError};

#[async_trait]
impl IndexStore for EmbeddedStore {
    async fn add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        let (index, member) = (index.to_owned(), member.to_owned());
        self.run(move |db| add(db, &index, &member)).await
    }

    async fn remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        let (index, member) = (index.to_owned(), member.to_owned());
        self.run(move |db| remove(db, &index, &member)).await
    }

    async fn members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        let index = index.to_owned();
        self.run(move |db| members(db, &index)).await
    }
}

fn add(db: &Database, index: &str, member: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(INDEXES)
        .embedded()?
        .insert((index, member), ())
        .embedded()?;
    txn.commit().embedded()
}

fn remove(db: &Database, index: &str, member: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(INDEXES)
        .embedded()?
        .remove((index, member))
        .embedded()?;
    txn.commit().embedded()
}

fn members(db: &Database, index: &str) -> Result<Vec<String>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let indexes = txn.open_table(INDEXES).embedded()?;
    let mut members = Vec::new();
    // The empty string sorts first, so the scan starts at the index's first member.
    for row in indexes.range((index, "")..).embedded()? {
        let (key, _) = row.embedded()?;
        let (name, member) = key.value();
        if name != index {
            break;
        }
        members.push(member.to_owned());
    }
    Ok(members)
}
