//! Which saga an idempotency record's response is about, kept beside the records so that
//! retention deletes the records about a saga with it: `REPLAY_OF` (record → saga) holds
//! exactly while the record is the completed one about that saga, `REPLAYS` (saga →
//! records) finds them from the saga.

use redb::{ReadableTable, WriteTransaction};

use super::tables::{OrEmbedded, IDEMPOTENCY, REPLAYS, REPLAY_OF};
use crate::store::StoreError;

/// Records that the completed record `key` is about `saga`, or about no saga.
pub(super) fn link(
    txn: &WriteTransaction,
    key: &str,
    saga: Option<&str>,
) -> Result<(), StoreError> {
    unlink(txn, key)?;
    if let Some(saga) = saga {
        txn.open_table(REPLAY_OF)
            .embedded()?
            .insert(key, saga)
            .embedded()?;
        txn.open_table(REPLAYS)
            .embedded()?
            .insert((saga, key), ())
            .embedded()?;
    }
    Ok(())
}

/// Forgets what record `key` was about: it is gone, or about to be replaced.
pub(super) fn unlink(txn: &WriteTransaction, key: &str) -> Result<(), StoreError> {
    let saga = txn
        .open_table(REPLAY_OF)
        .embedded()?
        .remove(key)
        .embedded()?
        .map(|saga| saga.value().to_owned());
    if let Some(saga) = saga {
        txn.open_table(REPLAYS)
            .embedded()?
            .remove((saga.as_str(), key))
            .embedded()?;
    }
    Ok(())
}

/// Deletes the records about saga `id`; answers how many.
pub(super) fn drop_about(txn: &WriteTransaction, id: &str) -> Result<u64, StoreError> {
    let mut replays = txn.open_table(REPLAYS).embedded()?;
    let mut keys = Vec::new();
    for row in replays.range((id, "")..).embedded()? {
        let (key, _) = row.embedded()?;
        let (saga, record) = key.value();
        if saga != id {
            break;
        }
        keys.push(record.to_owned());
    }
    let mut replay_of = txn.open_table(REPLAY_OF).embedded()?;
    let mut records = txn.open_table(IDEMPOTENCY).embedded()?;
    let mut dropped = 0;
    for key in &keys {
        replays.remove((id, key.as_str())).embedded()?;
        let about_this = replay_of
            .get(key.as_str())
            .embedded()?
            .is_some_and(|saga| saga.value() == id);
        if about_this {
            replay_of.remove(key.as_str()).embedded()?;
            if records.remove(key.as_str()).embedded()?.is_some() {
                dropped += 1;
            }
        }
    }
    Ok(dropped)
}
