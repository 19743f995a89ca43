//! Crash safety: the orchestrator is killed with SIGKILL at random moments while
//! sagas run against a sandbox in its own process; afterwards every saga is
//! final, nothing was done twice and nothing was left half-done.

mod checks;
mod workload;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::BANK_KEY;

use crate::chaos::{self, checks::Run, Flow, MIN_KILLS};
use workload::{Kind, Saga, Sagas};

const SAGAS: usize = 60;
const SETTLE: Duration = Duration::from_secs(60);

/// The registration saga, for the shared crash machinery.
pub const FLOW: Flow = Flow {
    test: "crash test",
    item: "saga",
    listed: "workflows",
    kind: "payment_account_registration",
    collection: "/v1/onboardings",
    key: BANK_KEY,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sagas_survive_kill_9_without_doubling_or_leaving_half_done_work() {
    let seed = chaos::seed(&FLOW);
    let mut rng = chaos::rng(seed);
    let started = Instant::now();

    let mut stage = chaos::stage("onboard-e2e-sandbox-", |b| b.prompt_ttl_secs(4)).await;
    let env = &mut stage.env;

    let mut plan = workload::plan(&mut rng, SAGAS);
    for saga in plan.iter_mut().filter(|s| s.existed()) {
        saga.fixture_account = Some(env.sandbox.create_wallet_user(&saga.person).await);
    }
    let sagas: Sagas = Arc::new(Mutex::new(plan));
    let anomalies = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let creator = tokio::spawn(workload::create_all(
        env.api.clone(),
        env.sandbox.clone(),
        sagas.clone(),
        seed ^ 1,
        anomalies.clone(),
    ));
    let decider = tokio::spawn(workload::decide_loop(
        env.api.clone(),
        sagas.clone(),
        seed ^ 2,
        stop.clone(),
        anomalies.clone(),
    ));

    // Chaos: kill -9 at random moments until every saga was started.
    let limit = Duration::from_secs(120);
    let kills = chaos::kill_loop(&mut env.server, &mut rng, MIN_KILLS, started, limit, || {
        creator.is_finished()
    })
    .await;
    let chaos_done = Instant::now();
    creator.await.expect("creator task");

    // Settle: every accepted saga must reach a final status.
    chaos::settle(&env.api, &FLOW, &sagas, SETTLE).await;
    stop.store(true, Ordering::Relaxed);
    decider.await.expect("decider task");

    let sagas: Vec<Saga> = sagas.lock().unwrap().clone();
    let mut violations = anomalies.lock().unwrap().clone();
    violations.extend(checks::verify(&env.api, &env.sandbox, &sagas).await);
    let new_people = sagas
        .iter()
        .filter(|s| matches!(s.kind, Kind::NewPerson(_)))
        .count();
    let run = Run {
        seed,
        kills,
        min_kills: MIN_KILLS,
        started,
        chaos_done,
        incarnations: env.server.incarnations(),
    };
    let extra = format!(", {new_people} new persons");
    chaos::checks::conclude(&FLOW, &run, &extra, &sagas, &violations);
}
