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

use onboard_tests::{is_final, TestEnv, TestEnvBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use workload::{Application, Applications};

const APPLICATIONS: usize = 40;
const MIN_KILLS: u32 = 20;
/// Short enough for `LeftToTimeOut` to end within the test, long enough for most
/// suppliers to get their card through the restarts.
const SAVINGS_TTL_SECS: u64 = 4;
const SETTLE: Duration = Duration::from_secs(45);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn credit_applications_survive_kill_9_without_doubling_or_leaving_half_done_work() {
    let seed = std::env::var("ONBOARD_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("credit crash test seed: {seed} (rerun with ONBOARD_TEST_SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);

    let sandbox_dir = tempfile::Builder::new()
        .prefix("onboard-e2e-credit-sandbox-")
        .tempdir()
        .expect("tempdir");
    let sandbox_process = TestEnv::start_sandbox_process(sandbox_dir.path()).await;
    let mut env = TestEnvBuilder::redis()
        .sandbox_url(sandbox_process.base_url())
        .savings_binding_ttl_secs(SAVINGS_TTL_SECS)
        .env("ONBOARD_CONNECTORS__TIMEOUT_MS", 1000)
        .env("ONBOARD_CONNECTORS__RETRY_MAX_MS", 500)
        .start()
        .await;

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

    // Chaos: kill -9 at random moments, sometimes again during start-up, until
    // every application was posted at least once (retries of keys left claimed
    // by a killed request then wait out the claim without further kills).
    let mut kills = 0;
    while kills < MIN_KILLS || !(first_pass.load(Ordering::Relaxed) || creator.is_finished()) {
        tokio::time::sleep(Duration::from_millis(rng.random_range(150..600))).await;
        env.server.kill9();
        kills += 1;
        if rng.random_bool(0.2) {
            env.server.spawn();
            tokio::time::sleep(Duration::from_millis(rng.random_range(20..250))).await;
            env.server.kill9();
            kills += 1;
        }
        env.server.restart().await;
        if started.elapsed() > Duration::from_secs(90) {
            break;
        }
    }
    let chaos_done = Instant::now();
    let (injected, suppliers) = creator.await.expect("creator task");

    // Settle: every accepted application must reach a final status.
    let deadline = Instant::now() + SETTLE;
    loop {
        let open: Vec<(usize, String)> = apps
            .lock()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, a)| a.outcome.is_none())
            .filter_map(|(i, a)| a.id.clone().map(|id| (i, id)))
            .collect();
        if open.is_empty() || Instant::now() > deadline {
            break;
        }
        for (i, id) in open {
            if let Ok(reply) = env.api.try_get_credit_application(&id, 0).await {
                if reply.status == 200 && is_final(&reply.body) {
                    apps.lock().unwrap()[i].outcome = Some(reply.body);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for supplier in suppliers {
        supplier.await.expect("supplier task");
    }

    let apps: Vec<Application> = apps.lock().unwrap().clone();
    let mut violations = anomalies.lock().unwrap().clone();
    violations.extend(checks::verify(&env.api, &env.sandbox, &apps, injected.decline).await);
    eprintln!(
        "credit crash test: seed {seed}, {kills} kills over {:?}, settled {:?} later, {} incarnations, decline injected: {}",
        chaos_done - started,
        chaos_done.elapsed(),
        env.server.incarnations(),
        injected.decline
    );
    for (outcome, n) in checks::outcome_table(&apps) {
        eprintln!("  {n:3} × {outcome}");
    }
    assert!(kills >= MIN_KILLS, "only {kills} kills");
    assert!(
        violations.is_empty(),
        "credit crash test (seed {seed}, {kills} kills) found {} violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    drop(sandbox_process);
}
