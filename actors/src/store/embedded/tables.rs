//! The redb tables of the embedded store, and the helpers its operations share.

use std::fmt::Display;

use redb::{Database, ReadableTable, TableDefinition, WriteTransaction};

use crate::store::{meta, StoreError, StoredSaga};

/// Saga id → (version, meta JSON, sealed state).
pub(super) const SAGAS: TableDefinition<&str, (u64, &str, &[u8])> = TableDefinition::new("sagas");

/// (saga id, version the entry created) → journal entry; the version orders the journal.
pub(super) const JOURNAL: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("journal");

/// (fire instant in Unix ms, saga id): ordered so that due timers are a prefix scan.
pub(super) const TIMERS: TableDefinition<(i64, &str), ()> = TableDefinition::new("timers");

/// Saga id → instant of its armed timer, to find the `TIMERS` row to replace or remove.
pub(super) const TIMER_OF: TableDefinition<&str, i64> = TableDefinition::new("timer_of");

/// Ids of the sagas that need driving.
pub(super) const ACTIVE: TableDefinition<&str, ()> = TableDefinition::new("active");
/// Sagas waiting for an operator's resume or cancel.
pub(super) const PAUSED: TableDefinition<&str, ()> = TableDefinition::new("paused");

/// (created_at_ms, saga id): walked backwards for the newest-first listing.
pub(super) const BY_CREATED: TableDefinition<(i64, &str), ()> = TableDefinition::new("by_created");

/// (index name, member) → id of the saga holding the row. Named apart from the
/// value-less `indexes` table that earlier files hold, which redb would refuse to open
/// with another value type.
pub(super) const INDEX_ROWS: TableDefinition<(&str, &str), &str> =
    TableDefinition::new("index_rows");

/// (finish instant in Unix ms, saga id) of the completed and compensated sagas: ordered so
/// that those past their retention are a prefix scan.
pub(super) const FINISHED: TableDefinition<(i64, &str), ()> = TableDefinition::new("finished");

/// Saga id → its `FINISHED` instant, so that a saga is entered there once.
pub(super) const FINISHED_AT: TableDefinition<&str, i64> = TableDefinition::new("finished_at");

/// (saga id, index name, member): the index rows each saga holds, so that deleting the
/// saga finds them.
pub(super) const SAGA_ROWS: TableDefinition<(&str, &str, &str), ()> =
    TableDefinition::new("saga_rows");

/// (saga id, idempotency key): the records whose response is about the saga, so that
/// they are deleted with it. A row may outlive its record; `REPLAY_OF` says which hold.
pub(super) const REPLAYS: TableDefinition<(&str, &str), ()> = TableDefinition::new("replays");

/// Idempotency key → the saga its completed response is about, while it is.
pub(super) const REPLAY_OF: TableDefinition<&str, &str> = TableDefinition::new("replay_of");

/// An idempotency record: (state, expiry in Unix ms, request fingerprint, response).
pub(super) type IdempotencyRecord = (u8, i64, &'static [u8], &'static [u8]);

/// Idempotency key → record.
pub(super) const IDEMPOTENCY: TableDefinition<&str, IdempotencyRecord> =
    TableDefinition::new("idempotency");

/// Counter key → (attempts in the window, window end in Unix ms).
pub(super) const COUNTERS: TableDefinition<&str, (u64, i64)> = TableDefinition::new("counters");

/// Key name → fingerprint of the key first (or deliberately) used with this store.
pub(super) const KEY_PINS: TableDefinition<&str, &str> = TableDefinition::new("key_pins");

/// (grid cell, code, issuing account) → (lat, lon): the live pairing codes by cell, and
/// within a cell by code, so that one code's holders are a prefix scan.
pub(super) const PAIR_CELLS: TableDefinition<(&str, u32, &str), (f64, f64)> =
    TableDefinition::new("pair_cells");

/// Issuing account → (code, cell, expiry in Unix ms, record): its one live code.
pub(super) const PAIR_ACCOUNTS: TableDefinition<&str, (u32, &str, i64, &[u8])> =
    TableDefinition::new("pair_accounts");

/// (expiry in Unix ms, issuing account): the live codes in the order they expire.
pub(super) const PAIR_EXPIRY: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("pair_expiry");

/// Creates every table once, so that read transactions never meet a missing table.
pub(super) fn create_all(db: &Database) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(SAGAS).embedded()?;
    txn.open_table(JOURNAL).embedded()?;
    txn.open_table(TIMERS).embedded()?;
    txn.open_table(TIMER_OF).embedded()?;
    txn.open_table(ACTIVE).embedded()?;
    txn.open_table(PAUSED).embedded()?;
    txn.open_table(BY_CREATED).embedded()?;
    txn.open_table(INDEX_ROWS).embedded()?;
    txn.open_table(FINISHED).embedded()?;
    txn.open_table(FINISHED_AT).embedded()?;
    txn.open_table(SAGA_ROWS).embedded()?;
    txn.open_table(REPLAYS).embedded()?;
    txn.open_table(REPLAY_OF).embedded()?;
    txn.open_table(IDEMPOTENCY).embedded()?;
    txn.open_table(COUNTERS).embedded()?;
    txn.open_table(super::tickets::ACCOUNTS).embedded()?;
    txn.open_table(super::tickets::LOGIN_FAILURES).embedded()?;
    txn.open_table(super::tickets::FAMILIES).embedded()?;
    txn.open_table(PAIR_CELLS).embedded()?;
    txn.open_table(PAIR_ACCOUNTS).embedded()?;
    txn.open_table(PAIR_EXPIRY).embedded()?;
    txn.open_table(super::links::LINKS).embedded()?;
    txn.open_table(super::links::LINK_TOKENS).embedded()?;
    txn.open_table(super::links::VIRTUAL_ACCOUNTS).embedded()?;
    txn.open_table(super::links::VIRTUAL_PAIRS).embedded()?;
    txn.open_table(super::links::ACCOUNT_VIRTUALS).embedded()?;
    txn.open_table(super::lapsing_links::LAPSING_LINKS)
        .embedded()?;
    txn.open_table(super::lapsing_links::TOKEN_EXPIRY)
        .embedded()?;
    txn.open_table(KEY_PINS).embedded()?;
    txn.commit().embedded()
}

/// Maps redb's many error types onto [`StoreError::Embedded`], keeping their message.
pub(super) trait OrEmbedded<T> {
    /// The result, with any error turned into a store error.
    fn embedded(self) -> Result<T, StoreError>;
}

impl<T, E: Display> OrEmbedded<T> for Result<T, E> {
    fn embedded(self) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Embedded(e.to_string()))
    }
}

/// A `SAGAS` row as the trait returns it.
pub(super) fn decode_saga(
    id: &str,
    (version, meta, state): (u64, &str, &[u8]),
) -> Result<StoredSaga, StoreError> {
    Ok(StoredSaga {
        id: id.to_owned(),
        version,
        meta: meta::decode(id, meta)?,
        state: state.to_vec(),
    })
}

/// The first `limit` entries of a table keyed by (instant, id) at or before `by_ms`.
pub(super) fn earliest(
    txn: &WriteTransaction,
    table: TableDefinition<(i64, &str), ()>,
    by_ms: i64,
    limit: usize,
) -> Result<Vec<(i64, String)>, StoreError> {
    let table = txn.open_table(table).embedded()?;
    let rows = table.range(..(by_ms.saturating_add(1), "")).embedded()?;
    rows.take(limit)
        .map(|row| {
            row.embedded().map(|(key, _)| {
                let (at, id) = key.value();
                (at, id.to_owned())
            })
        })
        .collect()
}
