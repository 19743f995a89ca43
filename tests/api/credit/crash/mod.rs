//! Crash safety of credit applications: the orchestrator is killed with SIGKILL
//! at random moments while applications run against a sandbox in its own
//! process (existing credit accounts, pre-bound savings cards, cards supplied
//! while waiting, deadlines, a refused credit account, slow and failing party
//! calls); afterwards every saga is final, nothing was done twice and nothing
//! was left half-done.

mod checks;
mod supplier;
mod workload;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::{CREDIT_APPLICATIONS, WALLET_KEY};

use crate::chaos::{self, checks::Run, Flow, MIN_KILLS};
use workload::{Application, Applications};

const APPLICATIONS: usize = 40;
/// Short enough for `LeftToTimeOut` to end within the test, long enough for most
/// suppliers to get their card through the restarts.
const SAVINGS_TTL_SECS: u64 = 4;
const SETTLE: Duration = Duration::from_secs(45);

/// Credit applications, for the shared crash machinery.
pub const FLOW: Flow = Flow {
    test: "credit crash test",
    item: "application",
    listed: "credit applications",
    kind: "virtual_credit_account",
    collection: CREDIT_APPLICATIONS,
    key: WALLET_KEY,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn credit_applications_survive_kill_9_without_doubling_or_leaving_half_done_work() {
    let seed = chaos::seed(&FLOW);
    let mut rng = chaos::rng(seed);

    let mut stage = chaos::stage("onboard-e2e-credit-sandbox-", |b| {
        b.savings_binding_ttl_secs(SAVINGS_TTL_SECS)
    })
    .await;
    let env = &mut stage.env;

    let plan = workload::plan(&mut rng, &env.sandbox, APPLICATIONS).await;
    let started = Instant::now();
    let apps: Applications = Arc::new(Mutex::new(plan));
    let anomalies = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let first_pass = Arc::new(AtomicBool::new(false));
    let creator = tokio::spawn(workload::create_all(
        env.api.clone(),
        env.sandbox.clone(),
        apps.clone(),
        seed ^ 1,
        first_pass.clone(),
        stop.clone(),
        anomalies.clone(),
    ));

    // Chaos: kill -9 at random moments until every application was posted at
    // least once (retries of keys left claimed by a killed request then wait
    // out the claim without further kills).
    let limit = Duration::from_secs(90);
    let kills = chaos::kill_loop(&mut env.server, &mut rng, MIN_KILLS, started, limit, || {
        first_pass.load(Ordering::Relaxed) || creator.is_finished()
    })
    .await;
    let chaos_done = Instant::now();
    let (injected, suppliers) = creator.await.expect("creator task");

    // Settle: every accepted application must reach a final status.
    chaos::settle(&env.api, &FLOW, &apps, SETTLE).await;
    stop.store(true, Ordering::Relaxed);
    for supplier in suppliers {
        supplier.await.expect("supplier task");
    }

    let apps: Vec<Application> = apps.lock().unwrap().clone();
    let mut violations = anomalies.lock().unwrap().clone();
    violations.extend(checks::verify(&env.api, &env.sandbox, &apps, injected.decline).await);
    let run = Run {
        seed,
        kills,
        min_kills: MIN_KILLS,
        started,
        chaos_done,
        incarnations: env.server.incarnations(),
    };
    let extra = format!(", decline injected: {}", injected.decline);
    chaos::checks::conclude(&FLOW, &run, &extra, &apps, &violations);
}
