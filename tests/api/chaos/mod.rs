//! What the two kill -9 crash tests (registration and credit applications)
//! share: the seed, a sandbox in its own process, the chaos loop that kills and
//! restarts the orchestrator, settling every accepted workflow, and the checks
//! on the store as a whole (see [`checks`]).

pub mod checks;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::{is_final, Api, OnboardProcess, Reply, TestEnv, TestEnvBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use tempfile::TempDir;

/// Problems noticed by the background tasks.
pub type Anomalies = Arc<Mutex<Vec<String>>>;

/// What differs between the crash tests' workflows, for the shared code.
#[derive(Debug, Clone, Copy)]
pub struct Flow {
    /// The test's name in its output, e.g. `"crash test"`.
    pub test: &'static str,
    /// What one planned workflow is called, e.g. `"saga"`.
    pub item: &'static str,
    /// What the operator listing counts, e.g. `"workflows"`.
    pub listed: &'static str,
    /// The workflow kind of the operator listing.
    pub kind: &'static str,
    /// The collection a workflow is read from, e.g. `"/v1/onboardings"`.
    pub collection: &'static str,
    /// The bearer key that reads it.
    pub key: &'static str,
}

/// A planned workflow of a crash test and what became of it.
pub trait Tracked {
    /// What was planned, which fixes the possible outcomes.
    type Kind: Debug;
    /// The planned kind.
    fn kind(&self) -> Self::Kind;
    /// The workflow id, once a POST was accepted.
    fn id(&self) -> Option<&str>;
    /// The final workflow, once seen.
    fn outcome(&self) -> Option<&Value>;
    /// Records the final workflow.
    fn set_outcome(&mut self, outcome: Value);
}

/// Implements [`Tracked`] for a plan struct with `kind: $kind`, `id:
/// Option<String>` and `outcome: Option<Value>` fields.
macro_rules! tracked {
    ($plan:ty, $kind:ty) => {
        impl $crate::chaos::Tracked for $plan {
            type Kind = $kind;
            fn kind(&self) -> $kind {
                self.kind
            }
            fn id(&self) -> Option<&str> {
                self.id.as_deref()
            }
            fn outcome(&self) -> Option<&serde_json::Value> {
                self.outcome.as_ref()
            }
            fn set_outcome(&mut self, outcome: serde_json::Value) {
                self.outcome = Some(outcome);
            }
        }
    };
}
pub(crate) use tracked;

/// At least this many kills in every crash test.
pub const MIN_KILLS: u32 = 20;

/// The seed of the run: `ONBOARD_TEST_SEED`, else a random one (printed for reruns).
pub fn seed(flow: &Flow) -> u64 {
    let seed = std::env::var("ONBOARD_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    eprintln!(
        "{} seed: {seed} (rerun with ONBOARD_TEST_SEED={seed})",
        flow.test
    );
    seed
}

/// The seeded random generator of the run.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// An orchestrator on Redis (short connector timeouts and retries) against a
/// sandbox in its own process, which the kills leave alone.
pub struct Stage {
    /// The orchestrator and its clients.
    pub env: TestEnv,
    _sandbox: OnboardProcess,
    _sandbox_dir: TempDir,
}

/// Starts a [`Stage`] on Redis; `configure` adds the test's own settings.
pub async fn stage(
    sandbox_prefix: &str,
    configure: impl FnOnce(TestEnvBuilder) -> TestEnvBuilder,
) -> Stage {
    stage_on(TestEnvBuilder::redis(), sandbox_prefix, configure).await
}

/// Starts a [`Stage`] on the store `base` selects (Redis or the embedded store).
pub async fn stage_on(
    base: TestEnvBuilder,
    sandbox_prefix: &str,
    configure: impl FnOnce(TestEnvBuilder) -> TestEnvBuilder,
) -> Stage {
    let sandbox_dir = tempfile::Builder::new()
        .prefix(sandbox_prefix)
        .tempdir()
        .expect("tempdir");
    let sandbox = TestEnv::start_sandbox_process(sandbox_dir.path()).await;
    let builder = base
        .sandbox_url(sandbox.base_url())
        .env("ONBOARD_CONNECTORS__TIMEOUT_MS", 1000)
        .env("ONBOARD_CONNECTORS__RETRY_MAX_MS", 500);
    let env = configure(builder).start().await;
    Stage {
        env,
        _sandbox: sandbox,
        _sandbox_dir: sandbox_dir,
    }
}

/// Chaos: kills `server` with SIGKILL at random moments (150-600 ms apart), one
/// time in five again during start-up, restarting it each time, until there
/// were `min_kills` and `done()` holds, or `limit` passed since `started`.
/// Returns the number of kills.
pub async fn kill_loop(
    server: &mut OnboardProcess,
    rng: &mut StdRng,
    min_kills: u32,
    started: Instant,
    limit: Duration,
    done: impl Fn() -> bool,
) -> u32 {
    let mut kills = 0;
    while kills < min_kills || !done() {
        tokio::time::sleep(Duration::from_millis(rng.random_range(150..600))).await;
        server.kill9();
        kills += 1;
        if rng.random_bool(0.2) {
            server.spawn();
            tokio::time::sleep(Duration::from_millis(rng.random_range(20..250))).await;
            server.kill9();
            kills += 1;
        }
        server.restart().await;
        if started.elapsed() > limit {
            break;
        }
    }
    kills
}

/// Settles: polls every accepted workflow without an outcome until it is final
/// (recording it) or `within` has passed.
pub async fn settle<T: Tracked>(api: &Api, flow: &Flow, items: &Mutex<Vec<T>>, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let open: Vec<(usize, String)> = items
            .lock()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, item)| item.outcome().is_none())
            .filter_map(|(i, item)| item.id().map(|id| (i, id.to_owned())))
            .collect();
        if open.is_empty() || Instant::now() > deadline {
            break;
        }
        for (i, id) in open {
            if let Ok(reply) = api
                .try_get_workflow(flow.collection, flow.key, &id, 0)
                .await
            {
                if reply.status == 200 && is_final(&reply.body) {
                    items.lock().unwrap()[i].set_outcome(reply.body);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// How one POST that starts a workflow went.
#[derive(Debug)]
pub enum Posted {
    /// 202 with the workflow id.
    Accepted(String),
    /// Worth retrying with the same key (server down, key in flight, 5xx, 202
    /// without an id); what happened.
    Retry(String),
    /// Any other answer: an anomaly.
    Unexpected(Reply),
}

/// Classifies the answer to a POST that starts a workflow.
pub fn posted(result: Result<Reply, reqwest::Error>) -> Posted {
    match result {
        Ok(reply) if reply.status == 202 => match reply.body["id"].as_str() {
            Some(id) => Posted::Accepted(id.to_owned()),
            None => Posted::Retry(format!("202 without id: {}", reply.text)),
        },
        Ok(reply) if reply.status >= 500 || reply.code() == Some("idempotency_key_in_use") => {
            Posted::Retry(format!("{} {}", reply.status, reply.text))
        }
        Ok(reply) => Posted::Unexpected(reply),
        Err(error) => Posted::Retry(error.to_string()),
    }
}
