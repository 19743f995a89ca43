//! The saga store of the embedded backend: writes in [`super::saga_writes`], reads here,
//! each in one read transaction.

use async_trait::async_trait;
use redb::{Database, ReadableTable, ReadableTableMetadata};

use super::saga_writes;
use super::tables::{
    decode_saga, OrEmbedded, ACTIVE, BY_CREATED, JOURNAL, PAUSED, SAGAS, TIMER_OF,
};
use super::{EmbeddedStore, SOLE_LEASE};
use crate::store::listing::Listing;
use crate::store::{
    DueTimer, InsertOutcome, ListFilter, NewSaga, SagaStore, StoreError, StoredSaga, Transition,
};

#[async_trait]
impl SagaStore for EmbeddedStore {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        let saga = saga.clone();
        self.run(move |db| saga_writes::insert(db, &saga)).await
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| load(db, &id)).await
    }

    async fn commit(&self, transition: &Transition) -> Result<Option<u64>, StoreError> {
        let lease = transition.meta.needs_driving().then_some(SOLE_LEASE);
        let transition = transition.clone();
        self.run(move |db| saga_writes::commit(db, &transition))
            .await?;
        Ok(lease)
    }

    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| journal(db, &id)).await
    }

    async fn claim_due_timers(
        &self,
        now_ms: i64,
        limit: usize,
        hold_until_ms: i64,
    ) -> Result<Vec<DueTimer>, StoreError> {
        self.run(move |db| saga_writes::claim_due_timers(db, now_ms, limit, hold_until_ms))
            .await
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        self.run(active).await
    }

    async fn paused(&self) -> Result<u64, StoreError> {
        self.run(|db| {
            let txn = db.begin_read().embedded()?;
            let paused = txn.open_table(PAUSED).embedded()?;
            paused.len().embedded()
        })
        .await
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        self.run(armed_timers).await
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        let filter = filter.clone();
        self.run(move |db| list(db, &filter)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        // The file is local and open: reachable as long as a read transaction starts.
        self.run(|db| db.begin_read().embedded().map(drop)).await
    }
}

fn load(db: &Database, id: &str) -> Result<Option<StoredSaga>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let sagas = txn.open_table(SAGAS).embedded()?;
    let row = sagas.get(id).embedded()?;
    row.map(|row| decode_saga(id, row.value())).transpose()
}

fn journal(db: &Database, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let journal = txn.open_table(JOURNAL).embedded()?;
    let rows = journal.range((id, 0_u64)..=(id, u64::MAX)).embedded()?;
    rows.map(|row| row.embedded().map(|(_, entry)| entry.value().to_vec()))
        .collect()
}

fn active(db: &Database) -> Result<Vec<String>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let active = txn.open_table(ACTIVE).embedded()?;
    let rows = active.iter().embedded()?;
    rows.map(|row| row.embedded().map(|(id, _)| id.value().to_owned()))
        .collect()
}

fn armed_timers(db: &Database) -> Result<u64, StoreError> {
    let txn = db.begin_read().embedded()?;
    let timers = txn.open_table(TIMER_OF).embedded()?;
    timers.len().embedded()
}

fn list(db: &Database, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let by_created = txn.open_table(BY_CREATED).embedded()?;
    let sagas = txn.open_table(SAGAS).embedded()?;
    let mut listing = Listing::new(filter);
    for row in by_created.iter().embedded()?.rev() {
        let (key, _) = row.embedded()?;
        let (_, id) = key.value();
        let Some(saga) = sagas.get(id).embedded()? else {
            continue;
        };
        if listing.offer(decode_saga(id, saga.value())?) {
            break;
        }
    }
    Ok(listing.into_sagas())
}
