//! Builders and assertions shared by the contract cases.

use std::sync::Arc;

use onboard_actors::store::{
    DueTimer, IndexChanges, IndexKey, InsertOutcome, NewSaga, SagaMeta, SagaStore, StoredSaga,
    TimerChange, Transition, Writer,
};
use onboard_workflows::{SagaKind, SagaStatus};

/// A fresh, empty saga store of either backend.
pub type Sagas = Arc<dyn SagaStore>;

fn meta(status: SagaStatus, created_at_ms: i64) -> SagaMeta {
    SagaMeta {
        kind: SagaKind::PaymentAccountRegistration,
        status,
        owner: "bank-1".into(),
        created_at_ms,
        updated_at_ms: created_at_ms,
        paused: false,
        retrying: None,
        trace: None,
    }
}

/// Where a test's claimed timers are held: far off, and exact as a Redis score.
pub const HOLD: i64 = 1_000_000_000_000;

/// Claims the timers due at `now_ms`, holding them at [`HOLD`].
pub async fn claim(store: &Sagas, now_ms: i64, limit: usize) -> Vec<DueTimer> {
    store
        .claim_due_timers(now_ms, limit, HOLD)
        .await
        .expect("claim timers")
}

/// The writer of the tests' sagas.
pub fn writer() -> Writer {
    Writer {
        replica: "test-replica".into(),
        fence: None,
        ttl_ms: 5_000,
    }
}

/// A saga in no index.
pub fn new_saga(id: &str, status: SagaStatus, created_at_ms: i64, timer: TimerChange) -> NewSaga {
    NewSaga {
        id: id.into(),
        meta: meta(status, created_at_ms),
        state: format!("state of {id}").into_bytes(),
        journal_entry: b"created".to_vec(),
        timer,
        index: Vec::new(),
        writer: writer(),
    }
}

/// A running saga with a timer armed at 5 000 ms.
pub fn running_saga(id: &str, created_at_ms: i64) -> NewSaga {
    new_saga(
        id,
        SagaStatus::Running,
        created_at_ms,
        TimerChange::Set(5_000),
    )
}

/// A transition that changes no index.
pub fn step(id: &str, expected_version: u64, status: SagaStatus, timer: TimerChange) -> Transition {
    Transition {
        id: id.into(),
        expected_version,
        meta: SagaMeta {
            updated_at_ms: 2_000 + expected_version as i64,
            paused: false,
            retrying: None,
            ..meta(status, 1_000)
        },
        state: format!("state {expected_version}").into_bytes(),
        journal_entry: format!("step {expected_version}").into_bytes(),
        timer,
        index: IndexChanges::default(),
        writer: writer(),
    }
}

pub fn row(index: &str, member: &str) -> IndexKey {
    IndexKey {
        index: index.into(),
        member: member.into(),
    }
}

pub async fn insert(store: &Sagas, saga: &NewSaga) {
    assert_eq!(
        store.insert(saga).await.expect("insert"),
        InsertOutcome::Inserted
    );
}

pub fn timer(saga_id: &str, at_ms: i64) -> DueTimer {
    DueTimer {
        saga_id: saga_id.into(),
        at_ms,
    }
}

pub fn ids(sagas: &[StoredSaga]) -> Vec<&str> {
    sagas.iter().map(|saga| saga.id.as_str()).collect()
}
