//! The time limit every store operation gets: a backend that never answers fails the
//! operation with a typed error, one that answers passes through unchanged.

use std::future::pending;
use std::time::Duration;

use async_trait::async_trait;
use onboard_actors::store::{
    AttemptStore, Claimed, CodeClaim, CodeIssue, Completion, DueTimer, EmbeddedStore,
    IdempotencyClaim, IdempotencyStore, IndexMember, IndexStore, InsertOutcome, Issued,
    KeyPinStore, LeaseStore, ListFilter, NewSaga, PairingStore, SagaMeta, SagaStore, StoreError,
    StoredSaga, TimedStore, TimerChange, Transition, Writer,
};
use onboard_workflows::domain::{GeoPoint, PairingCode};
use onboard_workflows::{SagaKind, SagaStatus};

const LIMIT: Duration = Duration::from_millis(50);

/// A backend that never answers, as Redis behind a dead connection does.
struct Unanswering;

#[async_trait]
impl SagaStore for Unanswering {
    async fn insert(&self, _: &NewSaga) -> Result<InsertOutcome, StoreError> {
        pending().await
    }
    async fn load(&self, _: &str) -> Result<Option<StoredSaga>, StoreError> {
        pending().await
    }
    async fn commit(&self, _: &Transition) -> Result<Option<u64>, StoreError> {
        pending().await
    }
    async fn journal(&self, _: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        pending().await
    }
    async fn claim_due_timers(
        &self,
        _: i64,
        _: usize,
        _: i64,
    ) -> Result<Vec<DueTimer>, StoreError> {
        pending().await
    }
    async fn active(&self) -> Result<Vec<String>, StoreError> {
        pending().await
    }
    async fn paused(&self) -> Result<u64, StoreError> {
        pending().await
    }
    async fn armed_timers(&self) -> Result<u64, StoreError> {
        pending().await
    }
    async fn list(&self, _: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        pending().await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        pending().await
    }
}

#[async_trait]
impl LeaseStore for Unanswering {
    async fn acquire(&self, _: &str, _: &str, _: u64) -> Result<Option<u64>, StoreError> {
        pending().await
    }
    async fn renew(&self, _: &[(String, u64)], _: &str, _: u64) -> Result<Vec<String>, StoreError> {
        pending().await
    }
    async fn release(&self, _: &str, _: &str, _: u64) -> Result<(), StoreError> {
        pending().await
    }
    async fn orphans(&self) -> Result<Vec<String>, StoreError> {
        pending().await
    }
}

#[async_trait]
impl IndexStore for Unanswering {
    async fn members(&self, _: &str) -> Result<Vec<IndexMember>, StoreError> {
        pending().await
    }
}

#[async_trait]
impl IdempotencyStore for Unanswering {
    async fn claim(&self, _: &str, _: &[u8], _: u64) -> Result<IdempotencyClaim, StoreError> {
        pending().await
    }
    async fn complete(&self, _: &Completion<'_>) -> Result<(), StoreError> {
        pending().await
    }
    async fn release(&self, _: &str) -> Result<(), StoreError> {
        pending().await
    }
}

#[async_trait]
impl AttemptStore for Unanswering {
    async fn count_attempt(&self, _: &str, _: u64) -> Result<u64, StoreError> {
        pending().await
    }
    async fn attempts(&self, _: &str) -> Result<u64, StoreError> {
        pending().await
    }
}

#[async_trait]
impl PairingStore for Unanswering {
    async fn issue_code(&self, _: &CodeIssue<'_>) -> Result<Issued, StoreError> {
        pending().await
    }
    async fn claim_code(&self, _: &CodeClaim<'_>) -> Result<Claimed, StoreError> {
        pending().await
    }
}

#[async_trait]
impl KeyPinStore for Unanswering {
    async fn pin(&self, _: &str, _: &str) -> Result<String, StoreError> {
        pending().await
    }
    async fn replace_pin(&self, _: &str, _: &str) -> Result<(), StoreError> {
        pending().await
    }
}

fn somewhere() -> GeoPoint {
    GeoPoint::parse(31.23, 121.47).expect("a point")
}

fn issue() -> CodeIssue<'static> {
    CodeIssue {
        scope: "wallet-1",
        account: "pa_1",
        at: somewhere(),
        radius_m: 500,
        ttl_ms: 60_000,
        record: b"record",
        seed: 7,
    }
}

fn claim() -> CodeClaim<'static> {
    CodeClaim {
        scope: "wallet-1",
        code: PairingCode::parse("123456").expect("a code"),
        claimant: "pa_2",
        at: somewhere(),
        radius_m: 500,
    }
}

fn saga(id: &str) -> NewSaga {
    NewSaga {
        id: id.into(),
        meta: SagaMeta {
            kind: SagaKind::PaymentAccountRegistration,
            status: SagaStatus::Running,
            owner: "bank-1".into(),
            created_at_ms: 1_000,
            updated_at_ms: 1_000,
            paused: false,
            retrying: None,
            trace: None,
        },
        state: b"state".to_vec(),
        journal_entry: b"created".to_vec(),
        timer: TimerChange::Keep,
        index: Vec::new(),
        writer: Writer {
            replica: "test-replica".into(),
            fence: None,
            ttl_ms: 5_000,
        },
    }
}

#[track_caller]
fn assert_timed_out<T: std::fmt::Debug>(result: Result<T, StoreError>, expected: &str) {
    match result {
        Err(StoreError::TimedOut {
            operation,
            limit_ms,
        }) => assert_eq!((operation, limit_ms), (expected, 50)),
        other => panic!("{expected}: expected a time-out, got {other:?}"),
    }
}

#[tokio::test]
async fn operations_of_a_store_that_never_answers_time_out() {
    let store = TimedStore::new(Unanswering, LIMIT);
    assert_timed_out(store.insert(&saga("s1")).await, "insert");
    assert_timed_out(store.load("s1").await, "load");
    assert_timed_out(store.armed_timers().await, "armed_timers");
    assert_timed_out(store.ping().await, "ping");
    assert_timed_out(store.members("prompts:pa_1").await, "index_members");
    assert_timed_out(store.claim("k", b"fp", 1_000).await, "idempotency_claim");
    assert_timed_out(
        IdempotencyStore::release(&store, "k").await,
        "idempotency_release",
    );
    assert_timed_out(store.count_attempt("k", 1_000).await, "count_attempt");
    assert_timed_out(store.attempts("k").await, "attempts");
    assert_timed_out(store.issue_code(&issue()).await, "pairing_issue");
    assert_timed_out(store.claim_code(&claim()).await, "pairing_claim");
    assert_timed_out(store.pin("hmac_key", "fp").await, "key_pin");
    assert_timed_out(store.replace_pin("hmac_key", "fp").await, "key_pin_replace");
}

#[tokio::test]
async fn operations_that_answer_in_time_pass_through() {
    let dir = tempfile::tempdir().expect("temp dir");
    let embedded = EmbeddedStore::open(&dir.path().join("store.redb")).expect("open");
    let store = TimedStore::new(embedded, Duration::from_secs(30));
    assert_eq!(
        store.insert(&saga("s1")).await.expect("insert"),
        InsertOutcome::Inserted
    );
    assert_eq!(
        store.load("s1").await.expect("load").expect("saga").version,
        1
    );
    assert_eq!(store.active().await.expect("active"), vec!["s1"]);
    store.ping().await.expect("ping");
    assert!(store
        .members("prompts:pa_1")
        .await
        .expect("members")
        .is_empty());
    assert_eq!(store.count_attempt("k", 60_000).await.expect("count"), 1);
    assert_eq!(
        store.claim("k", b"fp", 60_000).await.expect("claim"),
        IdempotencyClaim::Claimed
    );
    assert!(matches!(
        store.issue_code(&issue()).await.expect("issue"),
        Issued::Code { .. }
    ));
    assert_eq!(
        store.claim_code(&claim()).await.expect("claim"),
        Claimed::NotFound
    );
    assert_eq!(store.pin("hmac_key", "fp").await.expect("pin"), "fp");
}
