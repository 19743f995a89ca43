//! The two writes of a saga, insert and commit: one Lua script each, which also moves the
//! saga's timer, active-set membership, lease and index rows, all in the saga's partition.

use std::sync::LazyLock;

use redis::{Script, ScriptInvocation};

use super::layout::SagaKeys;
use super::{unexpected_code, RedisStore, LATE};
use crate::store::{
    meta, IndexKey, InsertOutcome, NewSaga, SagaMeta, StoreError, TimerChange, Transition,
};

static INSERT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("follow.lua"),
        include_str!("lease.lua"),
        include_str!("insert.lua")
    ))
});
static COMMIT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("follow.lua"),
        include_str!("lease.lua"),
        include_str!("commit.lua")
    ))
});

impl RedisStore {
    /// [`crate::store::SagaStore::insert`].
    pub(super) async fn insert_saga(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        let keys = self.saga_keys(&saga.id);
        let mut script = INSERT.prepare_invoke();
        script
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .key(&keys.paused)
            .key(&keys.all)
            .key(&keys.leases)
            .key(&keys.finished)
            .arg(&saga.id)
            .arg(meta::encode(&saga.meta)?)
            .arg(saga.state.as_slice())
            .arg(saga.journal_entry.as_slice());
        follow(&mut script, saga.timer, &saga.meta);
        script
            .arg(saga.meta.created_at_ms)
            .arg(self.apply_by_ms())
            .arg(&*saga.writer.replica)
            .arg(saga.writer.ttl_ms);
        self.index_rows(&mut script, &keys, "add", &saga.index);
        let code: i64 = script.invoke_async(&mut self.con()).await?;
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
    ) -> Result<Option<u64>, StoreError> {
        let keys = self.saga_keys(&transition.id);
        let mut script = COMMIT.prepare_invoke();
        script
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .key(&keys.paused)
            .key(&keys.leases)
            .key(&keys.finished)
            .arg(&transition.id)
            .arg(transition.expected_version)
            .arg(meta::encode(&transition.meta)?)
            .arg(transition.state.as_slice())
            .arg(transition.journal_entry.as_slice());
        follow(&mut script, transition.timer, &transition.meta);
        let writer = &transition.writer;
        script
            .arg(self.apply_by_ms())
            .arg(&*writer.replica)
            .arg(
                writer
                    .fence
                    .map(|token| token.to_string())
                    .unwrap_or_default(),
            )
            .arg(writer.ttl_ms);
        self.index_rows(&mut script, &keys, "add", &transition.index.add);
        self.index_rows(&mut script, &keys, "remove", &transition.index.remove);
        let (code, token): (i64, u64) = script.invoke_async(&mut self.con()).await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "commit",
            }),
            0 => Err(StoreError::NotFound(transition.id.clone())),
            1 => Err(StoreError::VersionConflict {
                id: transition.id.clone(),
                expected: transition.expected_version,
            }),
            2 => Ok((token > 0).then_some(token)),
            3 => Err(StoreError::LeaseLost(transition.id.clone())),
            other => Err(unexpected_code("commit", other)),
        }
    }

    /// One index key (in the saga's partition) and the arguments `op` and member per row.
    fn index_rows(
        &self,
        script: &mut ScriptInvocation,
        keys: &SagaKeys,
        op: &str,
        rows: &[IndexKey],
    ) {
        for row in rows {
            script
                .key(self.index_key(keys.partition, &row.index))
                .arg(op)
                .arg(&row.member);
        }
    }
}

/// The arguments `follow.lua` takes about the timer and the active, paused and finished
/// sets: the timer operation and instant, the saga's membership, and the instant it
/// finished (empty while it has not), decided here so that the scripts never encode which
/// statuses need driving or count as finished.
fn follow(script: &mut ScriptInvocation, timer: TimerChange, meta: &SagaMeta) {
    let (op, at_ms) = match timer {
        TimerChange::Keep => ("keep", 0),
        TimerChange::Set(at_ms) => ("set", at_ms),
        TimerChange::Clear => ("clear", 0),
    };
    let membership = if meta.needs_driving() {
        "active"
    } else if meta.is_paused() {
        "paused"
    } else {
        "idle"
    };
    let finished_at = if meta.is_finished() {
        meta.updated_at_ms.to_string()
    } else {
        String::new()
    };
    script.arg(op).arg(at_ms).arg(membership).arg(finished_at);
}
