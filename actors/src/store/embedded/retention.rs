//! Retention on the embedded store: finished sagas are read from `FINISHED` in the order
//! they finished and deleted whole, each in the transaction that deletes the rest of the
//! batch. redb has no expiring keys, so rows that carry an expiry are swept here too: each
//! table is walked a bounded stretch per sweep from where the last one stopped, so that a
//! sweep never holds the write lock for long and the whole table is covered in turn.

use std::ops::Bound;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use redb::{Database, ReadableTable, TableDefinition, WriteTransaction};

use super::tables::{
    earliest, OrEmbedded, ACTIVE, BY_CREATED, COUNTERS, FINISHED, FINISHED_AT, IDEMPOTENCY,
    JOURNAL, PAUSED, SAGAS, TIMERS, TIMER_OF,
};
use super::tickets::{family_retained_until, FAMILIES, LOGIN_FAILURES};
use super::{indexes, lapsing_links, pairing, replays, revoked_accounts, EmbeddedStore};
use crate::store::{clock, meta, Backfill, Purged, RetentionStore, StoreError};

/// How many rows of a table one sweep reads per record it may delete: enough that
/// sparse expired rows are found, few enough that the write lock is short.
const ROWS_READ_PER_LIMIT: usize = 8;

/// Where the sweep of each table with expiring rows goes on (the last key it read);
/// `None` starts at the table's beginning.
#[derive(Debug, Default)]
pub(super) struct ExpiryCursors {
    idempotency: Option<String>,
    counters: Option<String>,
    login_failures: Option<String>,
    families: Option<(String, String)>,
}

#[async_trait]
impl RetentionStore for EmbeddedStore {
    async fn purge_finished(
        &self,
        finished_by_ms: i64,
        limit: usize,
    ) -> Result<Purged, StoreError> {
        self.run(move |db| purge_finished(db, finished_by_ms, limit))
            .await
    }

    async fn backfill_finished(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Backfill, StoreError> {
        let cursor = cursor.map(str::to_owned);
        self.run(move |db| backfill_finished(db, cursor.as_deref(), limit.max(1)))
            .await
    }

    async fn purge_lapsed_links(&self, lapsed_by_ms: i64, limit: usize) -> Result<u64, StoreError> {
        self.in_one_write(move |txn| lapsing_links::purge_lapsed(txn, lapsed_by_ms, limit))
            .await
    }

    async fn forget_revoked_accounts(
        &self,
        revoked_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError> {
        self.in_one_write(move |txn| revoked_accounts::forget(txn, revoked_by_ms, limit))
            .await
    }

    async fn purge_expired(&self, limit: usize) -> Result<Purged, StoreError> {
        let cursors = Arc::clone(&self.expiry);
        self.run(move |db| purge_expired(db, &cursors, limit)).await
    }
}

impl EmbeddedStore {
    /// Runs `work` in one write transaction, committed when it succeeds.
    async fn in_one_write<F>(&self, work: F) -> Result<u64, StoreError>
    where
        F: FnOnce(&WriteTransaction) -> Result<u64, StoreError> + Send + 'static,
    {
        self.run(move |db| {
            let txn = db.begin_write().embedded()?;
            let count = work(&txn)?;
            txn.commit().embedded()?;
            Ok(count)
        })
        .await
    }
}

fn purge_finished(db: &Database, finished_by_ms: i64, limit: usize) -> Result<Purged, StoreError> {
    let txn = db.begin_write().embedded()?;
    let mut purged = Purged::default();
    let due = earliest(&txn, FINISHED, finished_by_ms, limit)?;
    for (at, id) in &due {
        purged.idempotency += replays::drop_about(&txn, id)?;
        indexes::drop_all(&txn, id)?;
        drop_saga(&txn, id)?;
        txn.open_table(FINISHED)
            .embedded()?
            .remove((*at, id.as_str()))
            .embedded()?;
        txn.open_table(FINISHED_AT)
            .embedded()?
            .remove(id.as_str())
            .embedded()?;
        purged.sagas += 1;
    }
    txn.commit().embedded()?;
    Ok(purged)
}

/// Enters the finished sagas among the `limit` after `cursor` (in id order) in `FINISHED`,
/// unless they are there.
fn backfill_finished(
    db: &Database,
    cursor: Option<&str>,
    limit: usize,
) -> Result<Backfill, StoreError> {
    let txn = db.begin_write().embedded()?;
    let mut indexed = 0;
    let next = {
        let sagas = txn.open_table(SAGAS).embedded()?;
        let mut finished_at = txn.open_table(FINISHED_AT).embedded()?;
        let mut finished = txn.open_table(FINISHED).embedded()?;
        let start = cursor.map_or(Bound::Unbounded, Bound::Excluded);
        let mut last = None;
        let mut read = 0;
        for row in sagas
            .range::<&str>((start, Bound::Unbounded))
            .embedded()?
            .take(limit)
        {
            let (id, saga) = row.embedded()?;
            let id = id.value();
            let meta = meta::decode(id, saga.value().1)?;
            read += 1;
            last = Some(id.to_owned());
            if meta.is_finished() && finished_at.get(id).embedded()?.is_none() {
                finished_at.insert(id, meta.updated_at_ms).embedded()?;
                finished.insert((meta.updated_at_ms, id), ()).embedded()?;
                indexed += 1;
            }
        }
        last.filter(|_| read == limit)
    };
    txn.commit().embedded()?;
    Ok(Backfill { indexed, next })
}

/// Deletes saga `id`'s row, journal, timer, listing entry and set memberships.
fn drop_saga(txn: &WriteTransaction, id: &str) -> Result<(), StoreError> {
    let created_at_ms = {
        let mut sagas = txn.open_table(SAGAS).embedded()?;
        let row = sagas.remove(id).embedded()?;
        row.map(|row| meta::decode(id, row.value().1).map(|meta| meta.created_at_ms))
            .transpose()?
    };
    if let Some(created_at_ms) = created_at_ms {
        txn.open_table(BY_CREATED)
            .embedded()?
            .remove((created_at_ms, id))
            .embedded()?;
    }
    let mut journal = txn.open_table(JOURNAL).embedded()?;
    let versions: Vec<u64> = journal
        .range((id, 0_u64)..=(id, u64::MAX))
        .embedded()?
        .map(|row| row.embedded().map(|(key, _)| key.value().1))
        .collect::<Result<_, _>>()?;
    for version in versions {
        journal.remove((id, version)).embedded()?;
    }
    let timer = txn
        .open_table(TIMER_OF)
        .embedded()?
        .remove(id)
        .embedded()?
        .map(|at| at.value());
    if let Some(at_ms) = timer {
        txn.open_table(TIMERS)
            .embedded()?
            .remove((at_ms, id))
            .embedded()?;
    }
    txn.open_table(ACTIVE).embedded()?.remove(id).embedded()?;
    txn.open_table(PAUSED).embedded()?.remove(id).embedded()?;
    Ok(())
}

fn purge_expired(
    db: &Database,
    cursors: &Mutex<ExpiryCursors>,
    limit: usize,
) -> Result<Purged, StoreError> {
    let now = clock::now_ms();
    let mut cursors = cursors.lock().unwrap_or_else(PoisonError::into_inner);
    let txn = db.begin_write().embedded()?;
    let (idempotency, next) = sweep(&txn, IDEMPOTENCY, &cursors.idempotency, limit, |row| {
        row.1 <= now
    })?;
    for key in &idempotency {
        replays::unlink(&txn, key)?;
    }
    let idempotency_cursor = next;
    let (counters, counters_cursor) =
        sweep(&txn, COUNTERS, &cursors.counters, limit, |row| row.1 <= now)?;
    let (failures, failures_cursor) = sweep(
        &txn,
        LOGIN_FAILURES,
        &cursors.login_failures,
        limit,
        |row| row.2 <= now,
    )?;
    let (families, families_cursor) = sweep_families(&txn, &cursors.families, limit, now)?;
    let pairing_codes = pairing::purge_expired(&txn, now, limit)?;
    let link_tokens = lapsing_links::purge_tokens(&txn, now, limit)?;
    txn.commit().embedded()?;
    *cursors = ExpiryCursors {
        idempotency: idempotency_cursor,
        counters: counters_cursor,
        login_failures: failures_cursor,
        families: families_cursor,
    };
    Ok(Purged {
        sagas: 0,
        idempotency: idempotency.len() as u64,
        counters: (counters.len() + failures.len()) as u64,
        ticket_families: families,
        pairing_codes,
        links: 0,
        link_tokens,
        revoked_accounts: 0,
    })
}

/// Deletes the rows of `table` that `expired` says passed, reading at most
/// [`ROWS_READ_PER_LIMIT`] × `limit` rows after `from` and deleting at most `limit`;
/// answers the deleted keys and where the next sweep goes on (`None`: from the start).
fn sweep<V>(
    txn: &WriteTransaction,
    table: TableDefinition<&str, V>,
    from: &Option<String>,
    limit: usize,
    expired: impl Fn(V::SelfType<'_>) -> bool,
) -> Result<(Vec<String>, Option<String>), StoreError>
where
    V: redb::Value + 'static,
{
    let mut table = txn.open_table(table).embedded()?;
    let start = match from {
        Some(key) => Bound::Excluded(key.as_str()),
        None => Bound::Unbounded,
    };
    let mut doomed = Vec::new();
    let mut last = None;
    let mut read = 0;
    for row in table.range::<&str>((start, Bound::Unbounded)).embedded()? {
        let (key, value) = row.embedded()?;
        read += 1;
        last = Some(key.value().to_owned());
        if expired(value.value()) {
            doomed.push(key.value().to_owned());
        }
        if doomed.len() >= limit || read >= limit.saturating_mul(ROWS_READ_PER_LIMIT) {
            break;
        }
    }
    // A walk that read fewer rows than it could reached the table's end: start over next.
    let next = if doomed.len() >= limit || read >= limit.saturating_mul(ROWS_READ_PER_LIMIT) {
        last
    } else {
        None
    };
    for key in &doomed {
        table.remove(key.as_str()).embedded()?;
    }
    Ok((doomed, next))
}

/// [`sweep`] for the ticket families, keyed by (user id, app id).
fn sweep_families(
    txn: &WriteTransaction,
    from: &Option<(String, String)>,
    limit: usize,
    now: i64,
) -> Result<(u64, Option<(String, String)>), StoreError> {
    let mut table = txn.open_table(FAMILIES).embedded()?;
    let start = match from {
        Some((user, app)) => Bound::Excluded((user.as_str(), app.as_str())),
        None => Bound::Unbounded,
    };
    let mut doomed = Vec::new();
    let mut last = None;
    let mut read = 0;
    let budget = limit.saturating_mul(ROWS_READ_PER_LIMIT);
    for row in table
        .range::<(&str, &str)>((start, Bound::Unbounded))
        .embedded()?
    {
        let (key, value) = row.embedded()?;
        let (user, app) = key.value();
        read += 1;
        last = Some((user.to_owned(), app.to_owned()));
        if family_retained_until(value.value()).is_some_and(|until| until <= now) {
            doomed.push((user.to_owned(), app.to_owned()));
        }
        if doomed.len() >= limit || read >= budget {
            break;
        }
    }
    let next = if doomed.len() >= limit || read >= budget {
        last
    } else {
        None
    };
    for (user, app) in &doomed {
        table.remove((user.as_str(), app.as_str())).embedded()?;
    }
    Ok((doomed.len() as u64, next))
}
