//! The two writes of a saga, insert and commit: one Lua script each, which also moves the
//! saga's timer and active-set membership, all in the saga's partition.

use std::sync::LazyLock;

use redis::Script;

use super::{unexpected_code, RedisStore, LATE};
use crate::store::{meta, InsertOutcome, NewSaga, SagaMeta, StoreError, TimerChange, Transition};

static INSERT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("insert.lua")
    ))
});
static COMMIT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("commit.lua")
    ))
});

impl RedisStore {
    /// [`crate::store::SagaStore::insert`].
    pub(super) async fn insert_saga(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        let keys = self.saga_keys(&saga.id);
        let (timer_op, timer_at) = timer_args(saga.timer);
        let code: i64 = INSERT
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .key(&keys.all)
            .arg(&saga.id)
            .arg(meta::encode(&saga.meta)?)
            .arg(saga.state.as_slice())
            .arg(saga.journal_entry.as_slice())
            .arg(timer_op)
            .arg(timer_at)
            .arg(active_flag(&saga.meta))
            .arg(saga.meta.created_at_ms)
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "insert",
            }),
            0 => Ok(InsertOutcome::AlreadyExists),
            1 => Ok(InsertOutcome::Inserted),
            other => Err(unexpected_code("insert", other)),
        }
    }

    /// [`crate::store::SagaStore::commit`].
    pub(super) async fn commit_transition(
        &self,
        transition: &Transition,
    ) -> Result<(), StoreError> {
        let keys = self.saga_keys(&transition.id);
        let (timer_op, timer_at) = timer_args(transition.timer);
        let code: i64 = COMMIT
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .arg(&transition.id)
            .arg(transition.expected_version)
            .arg(meta::encode(&transition.meta)?)
            .arg(transition.state.as_slice())
            .arg(transition.journal_entry.as_slice())
            .arg(timer_op)
            .arg(timer_at)
            .arg(active_flag(&transition.meta))
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "commit",
            }),
            0 => Err(StoreError::NotFound(transition.id.clone())),
            1 => Err(StoreError::VersionConflict {
                id: transition.id.clone(),
                expected: transition.expected_version,
            }),
            2 => Ok(()),
            other => Err(unexpected_code("commit", other)),
        }
    }
}

/// The timer operation and instant the Lua scripts understand.
fn timer_args(timer: TimerChange) -> (&'static str, i64) {
    match timer {
        TimerChange::Keep => ("keep", 0),
        TimerChange::Set(at_ms) => ("set", at_ms),
        TimerChange::Clear => ("clear", 0),
    }
}

/// Active-set membership, decided here so that the scripts never encode which statuses
/// need driving.
fn active_flag(meta: &SagaMeta) -> &'static str {
    if meta.status.needs_driving() {
        "1"
    } else {
        "0"
    }
}
