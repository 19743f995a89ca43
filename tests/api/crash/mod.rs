//! Crash safety: the orchestrator is killed with SIGKILL at random moments while
//! sagas run against a sandbox in its own process; afterwards every saga is
//! final, nothing was done twice and nothing was left half-done.

mod checks;
mod workload;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::{is_final, TestEnv, TestEnvBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use workload::{Kind, Saga, Sagas};

const SAGAS: usize = 60;
const MIN_KILLS: u32 = 20;
const SETTLE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sagas_survive_kill_9_without_doubling_or_leaving_half_done_work() {
    let seed = std::env::var("ONBOARD_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!("crash test seed: {seed} (rerun with ONBOARD_TEST_SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();

    let sandbox_dir = tempfile::Builder::new()
        .prefix("onboard-e2e-sandbox-")
        .tempdir()
        .expect("tempdir");
    let sandbox_process = TestEnv::start_sandbox_process(sandbox_dir.path()).await;
    let mut env = TestEnvBuilder::redis()
        .sandbox_url(sandbox_process.base_url())
        .prompt_ttl_secs(4)
        .env("ONBOARD_CONNECTORS__TIMEOUT_MS", 1000)
        .env("ONBOARD_CONNECTORS__RETRY_MAX_MS", 500)
        .start()
        .await;

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

    // Chaos: kill -9 at random moments, sometimes again during start-up.
    let mut kills = 0;
    while kills < MIN_KILLS || !creator.is_finished() {
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
        if started.elapsed() > Duration::from_secs(120) {
            break;
        }
    }
    let chaos_done = Instant::now();
    creator.await.expect("creator task");

    // Settle: every accepted saga must reach a final status.
    let deadline = Instant::now() + SETTLE;
    loop {
        let open: Vec<(usize, String)> = sagas
            .lock()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.outcome.is_none())
            .filter_map(|(i, s)| s.id.clone().map(|id| (i, id)))
            .collect();
        if open.is_empty() || Instant::now() > deadline {
            break;
        }
        for (i, id) in open {
            if let Ok(reply) = env.api.try_get_onboarding(&id, 0).await {
                if reply.status == 200 && is_final(&reply.body) {
                    sagas.lock().unwrap()[i].outcome = Some(reply.body);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.store(true, Ordering::Relaxed);
    decider.await.expect("decider task");

    let sagas: Vec<Saga> = sagas.lock().unwrap().clone();
    let mut violations = anomalies.lock().unwrap().clone();
    violations.extend(checks::verify(&env.api, &env.sandbox, &sagas).await);
    let table = checks::outcome_table(&sagas);
    eprintln!(
        "crash test: seed {seed}, {kills} kills over {:?}, settled {:?} later, {} incarnations",
        chaos_done - started,
        chaos_done.elapsed(),
        env.server.incarnations()
    );
    for (outcome, n) in &table {
        eprintln!("  {n:3} × {outcome}");
    }
    let new_people = sagas
        .iter()
        .filter(|s| matches!(s.kind, Kind::NewPerson(_)))
        .count();
    assert!(kills >= MIN_KILLS, "only {kills} kills");
    assert!(
        violations.is_empty(),
        "crash test (seed {seed}, {kills} kills, {new_people} new persons) found {} violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    drop(sandbox_process);
}
