//! Redis outages through the real binary, on a private Redis the tests stop, pause and
//! start: requests answer 503 `unavailable` within the store's time limit instead of
//! hanging, nothing is carried out later for a request that got an error, and the
//! orchestrator serves its port from start-up even while Redis is still down, and drops
//! no request when the app takes the port over.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use onboard_tests::{
    card_number, onboarding_body, person, Api, OnboardProcess, PrivateRedis, ProcessSpec, Reply,
    SandboxClient, BANK_KEY, OPERATOR_KEY,
};
use reqwest::Method;
use serde_json::Value;
use tempfile::TempDir;

use crate::flows::str_at;

/// The store's time limit in these tests (`store.timeout_ms`).
const STORE_TIMEOUT_MS: u64 = 1_000;
/// What a request may take beyond the store's time limit on a loaded machine.
const MARGIN: Duration = Duration::from_millis(1_500);
/// The bound on a readiness probe: one second, with room for a loaded machine.
const READYZ_BOUND: Duration = Duration::from_millis(1_500);
/// How long Redis takes to be used again once it is back, at most.
const RECOVERY: Duration = Duration::from_secs(30);
/// How long a test waits for anything that would wrongly happen late.
const LATE_EFFECTS: Duration = Duration::from_secs(3);

/// `onboard serve` on a private Redis; the process counts as started once `/healthz`
/// answers, so it can start while Redis is down.
struct Outage {
    server: OnboardProcess,
    api: Api,
    sandbox: SandboxClient,
    prefix: String,
    _dir: TempDir,
}

impl Outage {
    async fn start(redis: &PrivateRedis) -> Outage {
        let dir = tempfile::Builder::new()
            .prefix("onboard-outage-")
            .tempdir()
            .expect("tempdir");
        let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
        let server = OnboardProcess::start(ProcessSpec {
            name: "serve".into(),
            args: vec![
                "serve".into(),
                "--data-dir".into(),
                dir.path().join("data").display().to_string(),
                "--redis-url".into(),
                redis.url(),
            ],
            env: vec![
                ("RUST_LOG".into(), "info".into()),
                ("ONBOARD_STORE__KEY_PREFIX".into(), prefix.clone()),
                (
                    "ONBOARD_STORE__TIMEOUT_MS".into(),
                    STORE_TIMEOUT_MS.to_string(),
                ),
                ("ONBOARD_TIMERS__POLL_INTERVAL_MS".into(), "100".into()),
            ],
            ready_path: "/healthz".into(),
            logs_dir: dir.path().join("logs"),
        })
        .await;
        Outage {
            api: Api::new(server.base_url()),
            sandbox: SandboxClient::new(server.base_url()),
            server,
            prefix,
            _dir: dir,
        }
    }

    /// Sends a request and measures how long the answer took.
    async fn timed(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        idempotency_key: Option<&str>,
        body: Option<&Value>,
    ) -> (Reply, Duration) {
        let started = Instant::now();
        let reply = self
            .api
            .send(method, path, key, idempotency_key, body)
            .await;
        (reply, started.elapsed())
    }

    /// `GET /readyz`, which must answer within [`READYZ_BOUND`] whatever the store does.
    async fn readyz(&self) -> u16 {
        let (reply, took) = self.timed(Method::GET, "/readyz", None, None, None).await;
        assert!(took < READYZ_BOUND, "/readyz took {took:?}: {}", reply.text);
        reply.status
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + RECOVERY;
        while self.readyz().await != 200 {
            assert!(
                Instant::now() < deadline,
                "not ready {RECOVERY:?} after Redis came up; log tail:\n{}",
                self.server.log_tail(20)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// `POST /v1/onboardings` while the store cannot take it: 503 `unavailable` with
    /// `Retry-After`, within the store's time limit and a margin.
    async fn post_refused(&self, idempotency_key: Option<&str>) {
        let body = onboarding_body(&person(), &card_number());
        let (reply, took) = self
            .timed(
                Method::POST,
                "/v1/onboardings",
                Some(BANK_KEY),
                idempotency_key,
                Some(&body),
            )
            .await;
        reply.expect_problem(503, "unavailable", "POST while the store is out");
        assert!(reply.header("retry-after").is_some(), "{:?}", reply.headers);
        let bound = Duration::from_millis(STORE_TIMEOUT_MS) + MARGIN;
        assert!(took < bound, "the 503 took {took:?}, over {bound:?}");
    }

    /// Starts an onboarding (as a retry with `idempotency_key`) and completes it.
    async fn onboard(&self, idempotency_key: &str) -> String {
        let body = onboarding_body(&person(), &card_number());
        let reply = self
            .api
            .try_start_onboarding(&body, idempotency_key)
            .await
            .expect("POST /v1/onboardings transport");
        reply.expect_status(202, "POST once the store is back");
        let id = str_at(&reply.body, &["id"]);
        let waiting = self.api.wait_for_prompt(&id).await;
        let prompt_id = str_at(&waiting, &["waiting_for", "prompt_id"]);
        self.api
            .decide(&prompt_id, "approve")
            .await
            .expect_status(200, "approve");
        let done = self.api.wait_final(&id).await;
        assert_eq!(done["status"], "completed", "{done}");
        id
    }

    /// The ids of every workflow, as the operators' listing shows them.
    async fn listed(&self) -> Vec<String> {
        let reply = self
            .api
            .send(
                Method::GET,
                "/v1/admin/workflows?limit=100",
                Some(OPERATOR_KEY),
                None,
                None,
            )
            .await;
        reply.expect_status(200, "GET /v1/admin/workflows");
        reply.body["workflows"]
            .as_array()
            .unwrap_or_else(|| panic!("no workflows array: {}", reply.text))
            .iter()
            .map(|workflow| str_at(workflow, &["id"]))
            .collect()
    }

    /// The workflows that left an effect with a party.
    async fn with_effects(&self) -> Vec<String> {
        let ledger = self.sandbox.ledger().await;
        ledger.workflow_ids().into_iter().collect()
    }

    /// Every JSON log line of the server whose message is `message`.
    fn logged(&self, message: &str) -> Vec<Value> {
        self.server
            .stdout_logs()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|line| line["fields"]["message"] == message)
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stopped_redis_gets_quick_503s_and_nothing_is_done_later() {
    let mut redis = PrivateRedis::started();
    let env = Outage::start(&redis).await;
    env.wait_ready().await;

    redis.stop();
    assert_eq!(env.readyz().await, 503, "/readyz with Redis stopped");
    env.post_refused(None).await;
    env.post_refused(Some("retried-after-the-outage")).await;
    env.api
        .send(Method::GET, "/healthz", None, None, None)
        .await
        .expect_status(200, "/healthz with Redis stopped");

    redis.start();
    env.wait_ready().await;
    tokio::time::sleep(LATE_EFFECTS).await;
    assert_eq!(
        env.listed().await,
        Vec::<String>::new(),
        "a refused POST ran later"
    );
    assert_eq!(env.with_effects().await, Vec::<String>::new());

    let id = env.onboard("retried-after-the-outage").await;
    assert_eq!(env.listed().await, vec![id]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_reaching_redis_after_its_deadline_is_not_applied() {
    let redis = PrivateRedis::started();
    let env = Outage::start(&redis).await;
    env.wait_ready().await;
    // A first onboarding loads the scripts, so that the held-up ones would run.
    let first = env.onboard("before-the-pause").await;

    // Held-up writes reach Redis after the requests got their 503.
    let pause = Duration::from_millis(3 * STORE_TIMEOUT_MS);
    redis.pause_writes(pause.as_millis() as u64);
    env.post_refused(None).await;
    env.post_refused(Some("held-up")).await;
    tokio::time::sleep(pause + LATE_EFFECTS).await;
    env.wait_ready().await;
    assert_eq!(
        env.listed().await,
        vec![first.clone()],
        "a held-up write applied"
    );
    assert_eq!(env.with_effects().await, vec![first.clone()]);

    // The held-up claim blocks nothing: a retry with its key is carried out once.
    let second = env.onboard("held-up").await;
    assert_eq!(env.listed().await, vec![second, first]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_port_is_served_while_redis_is_down_at_start_up() {
    let mut redis = PrivateRedis::new(Some("secretpw"));
    let mut env = Outage::start(&redis).await;

    assert_eq!(env.readyz().await, 503, "/readyz before Redis is up");
    env.post_refused(None).await;
    let deadline = Instant::now() + RECOVERY;
    while env.logged("store not reachable; retrying").len() < 2 {
        assert!(Instant::now() < deadline, "{}", env.server.log_tail(20));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let attempt = &env.logged("store not reachable; retrying")[0]["fields"];
    assert_eq!(attempt["host"], "127.0.0.1", "{attempt}");
    assert_eq!(attempt["port"], redis.port(), "{attempt}");
    assert_eq!(attempt["db"], 0, "{attempt}");
    assert_eq!(attempt["key_prefix"], env.prefix.as_str(), "{attempt}");

    redis.start();
    env.wait_ready().await;
    let id = env.onboard("after-start-up").await;
    let serving = &env.logged("onboard serving")[0]["fields"];
    assert_eq!(serving["store"], "redis", "{serving}");
    assert_eq!(serving["port"], redis.port(), "{serving}");
    assert_eq!(serving["running_to_resume"], 0, "{serving}");
    assert_eq!(serving["parked"], 0, "{serving}");

    // A saga parked on its prompt is counted by the next start-up.
    let parked = env
        .api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    env.api.wait_for_prompt(&parked).await;
    env.server.restart().await;
    env.wait_ready().await;
    let serving = &env.logged("onboard serving")[1]["fields"];
    assert_eq!(serving["parked"], 1, "{serving}");
    assert_eq!(serving["running_to_resume"], 0, "{serving}");
    assert_eq!(serving["key_prefix"], env.prefix.as_str(), "{serving}");
    assert_eq!(env.api.wait_final(&id).await["status"], "completed");

    let logs = env.server.stdout_logs() + &env.server.stderr_logs();
    assert!(!logs.contains("secretpw"), "the Redis password was logged");
}

/// Clients sending `GET /readyz` on a fresh connection each, without pause, until stopped.
struct ReadyzLoad {
    stop: Arc<AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<(usize, Vec<String>)>>,
}

impl ReadyzLoad {
    fn start(base_url: &str, clients: usize) -> ReadyzLoad {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..clients)
            .map(|_| tokio::spawn(readyz_until(format!("{base_url}/readyz"), stop.clone())))
            .collect();
        ReadyzLoad { stop, clients }
    }

    /// How many requests were answered, and the errors of those taken and not answered.
    async fn stop(self) -> (usize, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        let mut answered = 0;
        let mut dropped = Vec::new();
        for client in self.clients {
            let (count, errors) = client.await.expect("load client");
            answered += count;
            dropped.extend(errors);
        }
        (answered, dropped)
    }
}

async fn readyz_until(url: String, stop: Arc<AtomicBool>) -> (usize, Vec<String>) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("reqwest client");
    let (mut answered, mut dropped) = (0, Vec::new());
    while !stop.load(Ordering::Relaxed) {
        match http.get(&url).send().await {
            Ok(_) => answered += 1,
            Err(error) if error.is_connect() => {}
            Err(error) => dropped.push(format!("{error:?}")),
        }
    }
    (answered, dropped)
}

#[tokio::test(flavor = "multi_thread")]
async fn no_request_is_dropped_when_the_app_takes_the_port_over() {
    let mut redis = PrivateRedis::new(None);
    let mut env = Outage::start(&redis).await;
    for round in 0..3 {
        let load = ReadyzLoad::start(&env.server.base_url(), 4);
        redis.start();
        env.wait_ready().await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let (answered, dropped) = load.stop().await;
        assert!(answered > 0, "round {round}: nothing answered");
        assert!(
            dropped.is_empty(),
            "round {round}: {} of {} requests dropped across the takeover: {dropped:?}",
            dropped.len(),
            answered + dropped.len()
        );
        redis.stop();
        env.server.restart().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_before_redis_is_reachable_ends_the_process() {
    let redis = PrivateRedis::new(None);
    let mut env = Outage::start(&redis).await;
    assert_eq!(env.readyz().await, 503, "/readyz before Redis is up");
    assert!(env.server.terminate(), "still running 10 s after SIGTERM");
    assert_eq!(
        env.logged("stopped before the store was reachable").len(),
        1
    );
}
