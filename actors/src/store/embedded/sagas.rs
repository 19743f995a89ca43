//! Saga writes and reads of the embedded store; each write is one redb write transaction,
//! so a transition is all-or-nothing and durable once it returns.

use redb::{Database, ReadableTable, ReadableTableMetadata, WriteTransaction};

use super::tables::{
    decode_meta, decode_saga, encode_meta, OrEmbedded, ACTIVE, BY_CREATED, JOURNAL, SAGAS, TIMERS,
    TIMER_OF,
};
use crate::store::{
    DueTimer, InsertOutcome, ListFilter, NewSaga, SagaMeta, StoreError, StoredSaga, TimerChange,
    Transition,
};

pub(super) fn insert(db: &Database, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
    let meta = encode_meta(&saga.meta)?;
    let id = saga.id.as_str();
    let txn = db.begin_write().embedded()?;
    {
        let mut sagas = txn.open_table(SAGAS).embedded()?;
        if sagas.get(id).embedded()?.is_some() {
            // Dropping the transaction uncommitted aborts it: nothing is written.
            return Ok(InsertOutcome::AlreadyExists);
        }
        sagas
            .insert(id, (1_u64, meta.as_str(), saga.state.as_slice()))
            .embedded()?;
        txn.open_table(JOURNAL)
            .embedded()?
            .insert((id, 1_u64), saga.journal_entry.as_slice())
            .embedded()?;
        txn.open_table(BY_CREATED)
            .embedded()?
            .insert((saga.meta.created_at_ms, id), ())
            .embedded()?;
        apply_timer(&txn, id, saga.timer)?;
        set_active(&txn, id, &saga.meta)?;
    }
    txn.commit().embedded()?;
    Ok(InsertOutcome::Inserted)
}

pub(super) fn commit(db: &Database, transition: &Transition) -> Result<(), StoreError> {
    let meta = encode_meta(&transition.meta)?;
    let id = transition.id.as_str();
    let txn = db.begin_write().embedded()?;
    {
        let mut sagas = txn.open_table(SAGAS).embedded()?;
        let stored = sagas.get(id).embedded()?.map(|row| row.value().0);
        match stored {
            None => return Err(StoreError::NotFound(id.to_owned())),
            Some(version) if version != transition.expected_version => {
                return Err(StoreError::VersionConflict {
                    id: id.to_owned(),
                    expected: transition.expected_version,
                })
            }
            Some(_) => {}
        }
        let version = transition.expected_version + 1;
        sagas
            .insert(id, (version, meta.as_str(), transition.state.as_slice()))
            .embedded()?;
        txn.open_table(JOURNAL)
            .embedded()?
            .insert((id, version), transition.journal_entry.as_slice())
            .embedded()?;
        apply_timer(&txn, id, transition.timer)?;
        set_active(&txn, id, &transition.meta)?;
    }
    txn.commit().embedded()
}

fn apply_timer(txn: &WriteTransaction, id: &str, timer: TimerChange) -> Result<(), StoreError> {
    let at_ms = match timer {
        TimerChange::Keep => return Ok(()),
        TimerChange::Set(at_ms) => Some(at_ms),
        TimerChange::Clear => None,
    };
    let mut timers = txn.open_table(TIMERS).embedded()?;
    let mut timer_of = txn.open_table(TIMER_OF).embedded()?;
    let previous = timer_of.remove(id).embedded()?.map(|row| row.value());
    if let Some(previous) = previous {
        timers.remove((previous, id)).embedded()?;
    }
    if let Some(at_ms) = at_ms {
        timers.insert((at_ms, id), ()).embedded()?;
        timer_of.insert(id, at_ms).embedded()?;
    }
    Ok(())
}

fn set_active(txn: &WriteTransaction, id: &str, meta: &SagaMeta) -> Result<(), StoreError> {
    let mut active = txn.open_table(ACTIVE).embedded()?;
    if meta.status.needs_driving() {
        active.insert(id, ()).embedded()?;
    } else {
        active.remove(id).embedded()?;
    }
    Ok(())
}

pub(super) fn load(db: &Database, id: &str) -> Result<Option<StoredSaga>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let sagas = txn.open_table(SAGAS).embedded()?;
    let row = sagas.get(id).embedded()?;
    row.map(|row| decode_saga(id, row.value())).transpose()
}

pub(super) fn journal(db: &Database, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let journal = txn.open_table(JOURNAL).embedded()?;
    let rows = journal.range((id, 0_u64)..=(id, u64::MAX)).embedded()?;
    rows.map(|row| row.embedded().map(|(_, entry)| entry.value().to_vec()))
        .collect()
}

pub(super) fn due_timers(
    db: &Database,
    now_ms: i64,
    limit: usize,
) -> Result<Vec<DueTimer>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let timers = txn.open_table(TIMERS).embedded()?;
    let mut due = Vec::new();
    for row in timers.iter().embedded()? {
        if due.len() >= limit {
            break;
        }
        let (key, _) = row.embedded()?;
        let (at_ms, saga_id) = key.value();
        if at_ms > now_ms {
            break;
        }
        due.push(DueTimer {
            saga_id: saga_id.to_owned(),
            at_ms,
        });
    }
    Ok(due)
}

pub(super) fn active(db: &Database) -> Result<Vec<String>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let active = txn.open_table(ACTIVE).embedded()?;
    let rows = active.iter().embedded()?;
    rows.map(|row| row.embedded().map(|(id, _)| id.value().to_owned()))
        .collect()
}

pub(super) fn armed_timers(db: &Database) -> Result<u64, StoreError> {
    let txn = db.begin_read().embedded()?;
    let timers = txn.open_table(TIMER_OF).embedded()?;
    timers.len().embedded()
}

pub(super) fn list(db: &Database, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
    let limit = filter.effective_limit();
    let txn = db.begin_read().embedded()?;
    let by_created = txn.open_table(BY_CREATED).embedded()?;
    let sagas = txn.open_table(SAGAS).embedded()?;
    let mut found = Vec::new();
    for row in by_created.iter().embedded()?.rev() {
        if found.len() >= limit {
            break;
        }
        let (key, _) = row.embedded()?;
        let (_, id) = key.value();
        let Some(saga) = sagas.get(id).embedded()? else {
            continue;
        };
        let (version, meta, state) = saga.value();
        let meta = decode_meta(id, meta)?;
        if filter.matches(&meta) {
            found.push(StoredSaga {
                id: id.to_owned(),
                version,
                meta,
                state: state.to_vec(),
            });
        }
    }
    Ok(found)
}
