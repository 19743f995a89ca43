//! The runtime end to end without the API: the engine on the embedded store, driving
//! sagas against the real sandbox parties served over loopback HTTP.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, HttpServer};
use futures::future::join_all;
use onboard_actors::parties::{Backoff, HttpParties, PartyGate, PartyLimits};
use onboard_actors::seal::Sealer;
use onboard_actors::store::{EmbeddedStore, Stores};
use onboard_actors::{Engine, EngineError, EngineParts, RetryBudget, SagaView, TokioClock};
use onboard_sandbox::Sandbox;
use onboard_workflows::domain::{CardNumber, IdNumber, PersonName, Phone, PromptId, WorkflowId};
use onboard_workflows::payment_account_registration::{Registration, RegistrationRequest};
use onboard_workflows::{AnySaga, SagaKind, SagaStatus, TransitionError, WaitingFor};

const KEY: &str = "b25ib2FyZC1zYW5kYm94LXRlc3Qta2V5LTMyYnl0ZXM=";

/// A valid resident id number with sequence `n` (check character computed).
fn id_number(n: u32) -> String {
    let base = format!("110101199003{:05}", n % 100_000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!(
        "{base}{}",
        "10X98765432".as_bytes()[(sum % 11) as usize] as char
    )
}

fn registration(n: u32, prompt_ttl_secs: i64) -> AnySaga {
    AnySaga::PaymentAccountRegistration(Registration::start(
        RegistrationRequest {
            bank_user_ref: format!("u-{n}"),
            name: PersonName::parse("Li Lei").unwrap(),
            id_number: IdNumber::parse(&id_number(n)).unwrap(),
            phone: Phone::parse("+8613800138000").unwrap(),
            card_number: CardNumber::parse("4111111111111111").unwrap(),
        },
        prompt_ttl_secs,
    ))
}

/// Limits no test reaches.
const LIMITS: PartyLimits = PartyLimits {
    max_in_flight: 64,
    per_second: 10_000,
};

/// The sandbox on a free loopback port and an engine on a fresh embedded store, its
/// actors on `actor_threads` extra threads (0: the test's own thread).
async fn start(dir: &tempfile::TempDir, actor_threads: usize) -> Engine {
    let sandbox = Sandbox::open(&dir.path().join("sandbox.redb")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = HttpServer::new(move || App::new().service(sandbox.service()))
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
    actix_web::rt::spawn(server);
    let stores = Stores::of(EmbeddedStore::open(&dir.path().join("onboard.redb")).unwrap());
    Engine::start(EngineParts {
        sagas: stores.sagas,
        indexes: stores.indexes,
        sealer: Sealer::new(("test-1", KEY), &[]).unwrap(),
        parties: PartyGate::new(
            HttpParties::new(&format!("http://{addr}/sandbox"), Duration::from_secs(3)).unwrap(),
            LIMITS,
            LIMITS,
        ),
        backoff: Backoff {
            initial: Duration::from_millis(10),
            max: Duration::from_millis(200),
        },
        budget: RetryBudget {
            max_attempts: 10,
            max_elapsed: Duration::from_secs(300),
        },
        timer_poll: Duration::from_millis(50),
        actor_threads,
        clock: Arc::new(TokioClock::new()),
        leases: stores.leases,
        replica: "test-replica".into(),
        lease_ttl: Duration::from_secs(5),
    })
}

/// The id of the `n`th test saga.
fn workflow_id(n: u8) -> WorkflowId {
    let mut bytes = [0; 16];
    bytes[15] = n;
    WorkflowId::new(SagaKind::PaymentAccountRegistration, bytes)
}

async fn settled(engine: &Engine, id: &WorkflowId) -> SagaView {
    engine
        .wait(id, Duration::from_secs(10))
        .await
        .unwrap()
        .expect("saga exists")
}

fn prompt_of(view: &SagaView) -> PromptId {
    match &view.waiting_for {
        Some(WaitingFor::SecurityPrompt { prompt_id, .. }) => {
            assert_eq!(prompt_id.workflow_id(), &view.id, "a prompt names its saga");
            prompt_id.clone()
        }
        other => panic!("not waiting on a prompt: {other:?}"),
    }
}

async fn live_actors_drop_to_zero(engine: &Engine) {
    for _ in 0..100 {
        if engine.live_actors().await == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} actors still live", engine.live_actors().await);
}

#[actix_web::test]
async fn parked_sagas_hold_no_actor_and_racing_decisions_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine = start(&dir, 2).await;
    let ids: Vec<WorkflowId> = (0..40).map(workflow_id).collect();
    for (n, id) in ids.iter().enumerate() {
        let (_, created) = engine
            .create(id, "bank", registration(n as u32, 600), None)
            .await
            .unwrap();
        assert!(created);
    }
    let waiting = join_all(ids.iter().map(|id| settled(&engine, id))).await;
    assert!(waiting.iter().all(|v| v.status == SagaStatus::Waiting));
    live_actors_drop_to_zero(&engine).await;

    // Two decisions race for every prompt: exactly one is applied.
    let decisions = waiting.iter().flat_map(|view| {
        let prompt = prompt_of(view);
        [(prompt.clone(), true), (prompt, false)]
    });
    let results = join_all(decisions.map(|(prompt, approve)| {
        let engine = engine.clone();
        async move { engine.decide_prompt(&prompt, approve).await }
    }))
    .await;
    let applied = results.iter().filter(|r| r.is_ok()).count();
    let closed = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(EngineError::Transition(TransitionError::PromptClosed))
            )
        })
        .count();
    assert_eq!((applied, closed), (40, 40));

    let finals = join_all(ids.iter().map(|id| settled(&engine, id))).await;
    for view in &finals {
        assert!(
            matches!(view.status, SagaStatus::Completed | SagaStatus::Compensated),
            "{:?}",
            view.status
        );
    }
    live_actors_drop_to_zero(&engine).await;
}

#[actix_web::test]
async fn a_durable_deadline_compensates_a_parked_saga() {
    let dir = tempfile::tempdir().unwrap();
    let engine = start(&dir, 0).await;
    let id = workflow_id(200);
    engine
        .create(&id, "bank", registration(7, 600), None)
        .await
        .unwrap();
    assert_eq!(settled(&engine, &id).await.status, SagaStatus::Waiting);

    // Ten minutes pass in an instant: the deadline is read from the injected clock, and
    // the timer poll's interval follows the same time. Real time resumes for the party
    // calls of the compensation.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(601)).await;
    tokio::time::resume();
    let mut view = settled(&engine, &id).await;
    for _ in 0..100 {
        if view.status.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        view = engine.get(&id).await.unwrap().unwrap();
    }
    assert_eq!(view.status, SagaStatus::Compensated);
    assert_eq!(view.error.unwrap().code.as_str(), "security_timeout");
}
