//! The two writes of a saga, insert and commit: each one redb write transaction that
//! also moves the saga's timer, active-set membership and index rows, so a transition is
//! all-or-nothing and durable once it returns.

use redb::{Database, ReadableTable, WriteTransaction};

use super::indexes;
use super::tables::{
    OrEmbedded, ACTIVE, BY_CREATED, FINISHED, FINISHED_AT, JOURNAL, PAUSED, SAGAS, TIMERS, TIMER_OF,
};
use crate::store::{
    meta, DueTimer, InsertOutcome, NewSaga, SagaMeta, StoreError, TimerChange, Transition,
};

pub(super) fn insert(db: &Database, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
    let meta = meta::encode(&saga.meta)?;
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
        follow(&txn, id, saga.timer, &saga.meta)?;
        indexes::apply(&txn, id, &saga.index, &[])?;
    }
    txn.commit().embedded()?;
    Ok(InsertOutcome::Inserted)
}

pub(super) fn commit(db: &Database, transition: &Transition) -> Result<(), StoreError> {
    let meta = meta::encode(&transition.meta)?;
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
        follow(&txn, id, transition.timer, &transition.meta)?;
        let changes = &transition.index;
        indexes::apply(&txn, id, &changes.add, &changes.remove)?;
    }
    txn.commit().embedded()
}

/// Claims the due timers, earliest first: each moves to `hold_until_ms` in the same
/// transaction that reads it.
pub(super) fn claim_due_timers(
    db: &Database,
    now_ms: i64,
    limit: usize,
    hold_until_ms: i64,
) -> Result<Vec<DueTimer>, StoreError> {
    let txn = db.begin_write().embedded()?;
    let mut due = Vec::new();
    {
        let mut timers = txn.open_table(TIMERS).embedded()?;
        let mut timer_of = txn.open_table(TIMER_OF).embedded()?;
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
        for timer in &due {
            let id = timer.saga_id.as_str();
            timers.remove((timer.at_ms, id)).embedded()?;
            timers.insert((hold_until_ms, id), ()).embedded()?;
            timer_of.insert(id, hold_until_ms).embedded()?;
        }
    }
    txn.commit().embedded()?;
    Ok(due)
}

/// Moves the saga's timer as `timer` says, its active-set membership after its status, and
/// enters it in `FINISHED` when it first finishes.
fn follow(
    txn: &WriteTransaction,
    id: &str,
    timer: TimerChange,
    meta: &SagaMeta,
) -> Result<(), StoreError> {
    if meta.is_finished() {
        let mut finished_at = txn.open_table(FINISHED_AT).embedded()?;
        if finished_at.get(id).embedded()?.is_none() {
            finished_at.insert(id, meta.updated_at_ms).embedded()?;
            txn.open_table(FINISHED)
                .embedded()?
                .insert((meta.updated_at_ms, id), ())
                .embedded()?;
        }
    }
    let mut active = txn.open_table(ACTIVE).embedded()?;
    if meta.needs_driving() {
        active.insert(id, ()).embedded()?;
    } else {
        active.remove(id).embedded()?;
    }
    let mut paused = txn.open_table(PAUSED).embedded()?;
    if meta.is_paused() {
        paused.insert(id, ()).embedded()?;
    } else {
        paused.remove(id).embedded()?;
    }
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
