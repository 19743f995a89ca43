//! API idempotency records: replayed byte for byte, refused for another request or while
//! in flight, given back when the handler fails; ids and record keys derived as before.

use std::cell::Cell;
use std::sync::Arc;

use onboard_actors::store::{Completion, EmbeddedStore, IdempotencyStore};
use onboard_services::{Idempotency, IdempotencyError, StoredResponse};
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::SagaKind;
use tokio::sync::oneshot;

/// The idempotency records of either backend.
type Store = Arc<dyn IdempotencyStore>;

const HMAC_KEY: &[u8] = b"services-test-hmac-key";
const OPERATION: &str = "POST /v1/credit-applications";
const BODY: &[u8] = br#"{"a":1}"#;

/// What a test handler can fail with.
#[derive(Debug)]
enum Failure {
    Idempotency(IdempotencyError),
    Handler,
}

impl From<IdempotencyError> for Failure {
    fn from(error: IdempotencyError) -> Failure {
        Failure::Idempotency(error)
    }
}

fn records(store: Store) -> Idempotency {
    Idempotency::new(store, HMAC_KEY.to_vec(), 60)
}

/// A response no endpoint has today: not JSON, several headers, a status of its own.
fn ticket_response(n: u8) -> StoredResponse {
    StoredResponse {
        status: 201,
        headers: vec![
            ("content-type".into(), "application/octet-stream".into()),
            ("location".into(), format!("/v1/tickets/t_{n}")),
        ],
        body: vec![0, 0xff, n, b'\n'],
        saga_id: None,
    }
}

async fn run(
    idempotency: &Idempotency,
    caller: &str,
    key: Option<&str>,
    operation: &str,
    body: &[u8],
    response: StoredResponse,
) -> Result<StoredResponse, Failure> {
    idempotency
        .run(caller, key, operation, body, || async { Ok(response) })
        .await
}

on_both_stores!(
    idempotency:
    the_same_request_replays_the_first_response,
    without_a_key_every_request_runs,
    another_request_under_the_key_is_refused,
    a_request_in_flight_holds_its_key,
    a_failed_handler_gives_the_key_back,
    records_of_the_workflow_view_format_replay,
);

async fn the_same_request_replays_the_first_response(store: Store) {
    let idempotency = records(store);
    let first = run(
        &idempotency,
        "wallet-1",
        Some("k-1"),
        OPERATION,
        BODY,
        ticket_response(1),
    )
    .await
    .unwrap();
    assert_eq!(first, ticket_response(1));
    let replayed = run(
        &idempotency,
        "wallet-1",
        Some("k-1"),
        OPERATION,
        BODY,
        ticket_response(2),
    )
    .await
    .unwrap();
    assert_eq!(
        replayed,
        ticket_response(1),
        "the second handler's answer was used"
    );
}

async fn without_a_key_every_request_runs(store: Store) {
    let idempotency = records(store);
    for n in 1..=2 {
        let answered = run(
            &idempotency,
            "wallet-1",
            None,
            OPERATION,
            BODY,
            ticket_response(n),
        )
        .await
        .unwrap();
        assert_eq!(answered, ticket_response(n));
    }
}

async fn another_request_under_the_key_is_refused(store: Store) {
    let idempotency = records(store);
    run(
        &idempotency,
        "wallet-1",
        Some("k-1"),
        OPERATION,
        BODY,
        ticket_response(1),
    )
    .await
    .unwrap();
    for (operation, body) in [(OPERATION, &b"{}"[..]), ("POST /v1/onboardings", BODY)] {
        let refused = run(
            &idempotency,
            "wallet-1",
            Some("k-1"),
            operation,
            body,
            ticket_response(2),
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(Failure::Idempotency(IdempotencyError::KeyReused))
            ),
            "{operation}: {refused:?}"
        );
    }
    let other_caller = run(
        &idempotency,
        "wallet-2",
        Some("k-1"),
        OPERATION,
        b"{}",
        ticket_response(3),
    )
    .await
    .unwrap();
    assert_eq!(other_caller, ticket_response(3), "keys are per caller");
}

async fn a_request_in_flight_holds_its_key(store: Store) {
    let idempotency = records(store);
    let (started, has_started) = oneshot::channel::<()>();
    let (finish, may_finish) = oneshot::channel::<()>();
    let first = idempotency.run("wallet-1", Some("k-1"), OPERATION, BODY, || async {
        started.send(()).unwrap();
        may_finish.await.unwrap();
        Ok::<_, Failure>(ticket_response(1))
    });
    let meanwhile = async {
        has_started.await.unwrap();
        let same = run(
            &idempotency,
            "wallet-1",
            Some("k-1"),
            OPERATION,
            BODY,
            ticket_response(2),
        )
        .await;
        let other = run(
            &idempotency,
            "wallet-1",
            Some("k-1"),
            OPERATION,
            b"{}",
            ticket_response(3),
        )
        .await;
        finish.send(()).unwrap();
        (same, other)
    };
    let (first, (same, other)) = tokio::join!(first, meanwhile);
    assert_eq!(first.unwrap(), ticket_response(1));
    assert!(
        matches!(same, Err(Failure::Idempotency(IdempotencyError::InFlight))),
        "{same:?}"
    );
    assert!(
        matches!(
            other,
            Err(Failure::Idempotency(IdempotencyError::KeyReused))
        ),
        "{other:?}"
    );
}

async fn a_failed_handler_gives_the_key_back(store: Store) {
    let idempotency = records(store);
    let failed = idempotency
        .run("wallet-1", Some("k-1"), OPERATION, BODY, || async {
            Err::<StoredResponse, _>(Failure::Handler)
        })
        .await;
    assert!(matches!(failed, Err(Failure::Handler)), "{failed:?}");
    let runs = Cell::new(0);
    let retried = idempotency
        .run("wallet-1", Some("k-1"), OPERATION, BODY, || async {
            runs.set(runs.get() + 1);
            Ok::<_, Failure>(ticket_response(1))
        })
        .await
        .unwrap();
    assert_eq!((retried, runs.get()), (ticket_response(1), 1));
}

/// A record as the API wrote it before responses were stored whole, under the record
/// key and fingerprint that version derived (computed independently of this crate).
async fn records_of_the_workflow_view_format_replay(store: Store) {
    let record_key = "wallet-1:862fc0d4f6c6ec1406d9afba7611a9bc759689f3dbbfa63d51a3ed2cb1e4d520";
    let fingerprint =
        hex::decode("0fe694d6fbe58e1c1485e19bb05c66793dc5b8a009285714d8145072a5794b48").unwrap();
    store.claim(record_key, &fingerprint, 60_000).await.unwrap();
    let record = br#"{"status":202,"location":"/v1/credit-applications/ca_1","body":{"id":"ca_1","status":"running"}}"#;
    let completion = Completion {
        key: record_key,
        fingerprint: &fingerprint,
        response: record,
        ttl_ms: 60_000,
        saga_id: None,
    };
    store.complete(&completion).await.unwrap();
    let replayed = run(
        &records(store),
        "wallet-1",
        Some("k-1"),
        OPERATION,
        BODY,
        ticket_response(1),
    )
    .await
    .unwrap();
    assert_eq!(
        replayed,
        StoredResponse {
            status: 202,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("location".into(), "/v1/credit-applications/ca_1".into()),
            ],
            body: br#"{"id":"ca_1","status":"running"}"#.to_vec(),
            saga_id: None,
        }
    );
}

#[test]
fn workflow_ids_derive_from_caller_and_key_or_are_random() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("store.redb")).unwrap();
    let idempotency = records(Arc::new(store));
    // Computed independently: HMAC-SHA256 over length-prefixed parts, first 16 bytes; the
    // same ids as before workflow ids were typed, so a retry still finds its workflow.
    let derived = idempotency.workflow_id(SagaKind::VirtualCreditAccount, "wallet-1", Some("k-1"));
    assert_eq!(derived.as_str(), "ca_d2c838ff08ee39269f4398dc6b6f72bd");
    let derived =
        idempotency.workflow_id(SagaKind::PaymentAccountRegistration, "bank-1", Some("k-1"));
    assert_eq!(derived.as_str(), "wf_9dec904e629c8245a416fdc5372c5ed9");
    let (a, b) = (
        idempotency.workflow_id(SagaKind::PaymentAccountRegistration, "bank-1", None),
        idempotency.workflow_id(SagaKind::PaymentAccountRegistration, "bank-1", None),
    );
    assert!(a.as_str().starts_with("wf_") && a != b, "{a} {b}");
    assert_eq!(WorkflowId::parse(a.as_str()), Ok(a));
}
