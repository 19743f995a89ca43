//! Several `onboard serve` replicas on one Redis, with the sandbox as its own process:
//! sagas spread over them, decisions and cancels sent to any replica, one replica killed
//! with SIGKILL and another stopped with SIGTERM mid-load. Every saga ends, no effect is
//! applied twice, and each person's holdings match how their saga ended.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use onboard_tests::{
    account, binding, card_number, onboarding_body, person, redis_url, Api, OnboardProcess, Person,
    PrivateCluster, ProcessSpec, SandboxClient, TestEnv, OPERATOR_KEY,
};
use rand::seq::IndexedRandom;
use reqwest::Method;
use serde_json::Value;

/// The replicas' lease time to live: short, so that takeovers happen within the test.
const LEASE_TTL_MS: u64 = 2_000;
/// How long a client retries one request on the surviving replicas: longer than the 30 s
/// for which a request cut off by a dying replica keeps its Idempotency-Key in flight.
const RETRY_FOR: Duration = Duration::from_secs(45);

/// `onboard serve` replica `name` on the Redis at `redis` under `prefix`, calling `sandbox`.
async fn replica(
    dir: &Path,
    name: &str,
    redis: &str,
    prefix: &str,
    sandbox: &str,
) -> OnboardProcess {
    OnboardProcess::start(ProcessSpec {
        name: name.into(),
        args: vec![
            "serve".into(),
            "--redis-url".into(),
            redis.into(),
            "--sandbox-url".into(),
            sandbox.into(),
            "--replica-id".into(),
            name.into(),
        ],
        env: vec![
            ("RUST_LOG".into(), "info".into()),
            ("ONBOARD_STORE__KEY_PREFIX".into(), prefix.into()),
            ("ONBOARD_LEASES__TTL_MS".into(), LEASE_TTL_MS.to_string()),
            ("ONBOARD_TIMERS__POLL_INTERVAL_MS".into(), "100".into()),
            ("ONBOARD_SERVER__SHUTDOWN_GRACE_SECS".into(), "5".into()),
        ],
        ready_path: "/readyz".into(),
        logs_dir: dir.join("logs"),
    })
    .await
}

/// The replicas a load balancer still sends requests to.
#[derive(Clone)]
struct Balancer {
    alive: Arc<Mutex<Vec<String>>>,
}

impl Balancer {
    fn new(bases: Vec<String>) -> Balancer {
        Balancer {
            alive: Arc::new(Mutex::new(bases)),
        }
    }

    fn pick(&self) -> Api {
        let alive = self.alive.lock().unwrap();
        Api::new(
            alive
                .choose(&mut rand::rng())
                .expect("a live replica")
                .clone(),
        )
    }

    fn remove(&self, base: &str) {
        self.alive.lock().unwrap().retain(|alive| alive != base);
    }

    /// Sends a request to random live replicas until one answers `expected`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        key: &str,
        idempotency_key: Option<&str>,
        body: Option<&Value>,
        expected: u16,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + RETRY_FOR;
        loop {
            let api = self.pick();
            let reply = api
                .try_send(method.clone(), path, Some(key), idempotency_key, body)
                .await;
            match reply {
                Ok(reply) if reply.status == expected => return reply.body,
                other => assert!(
                    tokio::time::Instant::now() < deadline,
                    "{method} {path}: {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The workflow once `done` holds, read from random live replicas.
    async fn until(&self, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let path = format!("/v1/onboardings/{id}?wait=2");
        let deadline = tokio::time::Instant::now() + RETRY_FOR;
        loop {
            let workflow = self
                .send(Method::GET, &path, onboard_tests::BANK_KEY, None, None, 200)
                .await;
            if done(&workflow) {
                return workflow;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{id} not {what}: {workflow}"
            );
        }
    }
}

/// One registration driven through random replicas: approved, or rejected one time in
/// five. Answers the workflow id and the person.
async fn registration(balancer: Balancer) -> (String, Person) {
    let person = person();
    let body = onboarding_body(&person, &card_number());
    let key = uuid::Uuid::new_v4().to_string();
    let started = balancer
        .send(
            Method::POST,
            "/v1/onboardings",
            onboard_tests::BANK_KEY,
            Some(&key),
            Some(&body),
            202,
        )
        .await;
    let id = started["id"].as_str().expect("id").to_owned();
    let waiting = balancer
        .until(&id, "waiting", |w| w["status"] == "waiting" || is_final(w))
        .await;
    if let Some(prompt_id) = waiting["waiting_for"]["prompt_id"].as_str() {
        let decision = if rand::random_ratio(1, 5) {
            "reject"
        } else {
            "approve"
        };
        let path = format!("/v1/security-prompts/{prompt_id}/decision");
        let decide = serde_json::json!({ "decision": decision });
        let deadline = tokio::time::Instant::now() + RETRY_FOR;
        loop {
            let reply = balancer
                .pick()
                .try_send(
                    Method::POST,
                    &path,
                    Some(onboard_tests::WALLET_KEY),
                    Some(&id),
                    Some(&decide),
                )
                .await;
            match reply {
                Ok(reply) if reply.status == 200 => break,
                // Decided by an earlier try whose answer was lost, or closed by its
                // deadline: the saga decides its end either way.
                Ok(reply) if reply.code() == Some("prompt_closed") => break,
                other => assert!(
                    tokio::time::Instant::now() < deadline,
                    "decide {id}: {other:?}"
                ),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    balancer.until(&id, "final", is_final).await;
    (id, person)
}

fn is_final(workflow: &Value) -> bool {
    onboard_tests::is_final(workflow)
}

/// Every effect of the run applied once per idempotency key, and each person holding
/// exactly what their saga's end says.
async fn assert_consistent(
    sandbox: &SandboxClient,
    balancer: &Balancer,
    runs: &[(String, Person)],
) {
    let ledger = sandbox.ledger().await;
    let mut applied: BTreeMap<&str, usize> = BTreeMap::new();
    for effect in &ledger.effects {
        *applied.entry(effect.idempotency_key.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = applied.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "keys applied twice: {twice:?}");

    for (id, person) in runs {
        let workflow = balancer.until(id, "final", is_final).await;
        let held = sandbox.wallet_person(&person.id_number).await;
        let registered = ledger.subject(id, "register_account").expect("registered");
        let account = account(&held, &registered).expect("the account is known");
        let bound = ledger.subject(id, "bind_card");
        match workflow["status"].as_str() {
            Some("completed") => {
                assert_eq!(account["status"], "open", "{id}: {held}");
                let bound = bound.expect("a completed saga bound the card");
                assert_eq!(binding(&held, &bound).unwrap()["status"], "active");
            }
            Some("compensated") => {
                assert_eq!(account["status"], "closed", "{id}: {held}");
                if let Some(bound) = bound {
                    assert_eq!(binding(&held, &bound).unwrap()["status"], "removed");
                }
            }
            other => panic!("{id} ended {other:?}: {workflow}"),
        }
    }
}

/// 300 registrations over three replicas on the Redis at `redis`, one replica killed
/// with SIGKILL and another stopped with SIGTERM mid-load while `meanwhile` runs (e.g. a
/// Redis failover); then every saga ended and nothing is half-done. Answers what
/// `meanwhile` did, kept until the end (e.g. the cluster it failed over).
async fn three_replicas_through_a_kill_and_a_drain<T>(
    redis: &str,
    meanwhile: impl Future<Output = T>,
) -> T {
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox_process = TestEnv::start_sandbox_process(dir.path()).await;
    let sandbox_url = sandbox_process.base_url();
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let mut replicas = Vec::new();
    for name in ["r0", "r1", "r2"] {
        replicas.push(replica(dir.path(), name, redis, &prefix, &sandbox_url).await);
    }
    let balancer = Balancer::new(replicas.iter().map(OnboardProcess::base_url).collect());

    let load = tokio::spawn({
        let balancer = balancer.clone();
        async move {
            let mut runs = Vec::new();
            let mut batches = tokio::task::JoinSet::new();
            for _ in 0..300 {
                if batches.len() >= 24 {
                    runs.push(batches.join_next().await.expect("a run").expect("run"));
                }
                batches.spawn(registration(balancer.clone()));
            }
            while let Some(run) = batches.join_next().await {
                runs.push(run.expect("run"));
            }
            runs
        }
    });

    let stops = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        // Calls held in flight when the replica dies: their sagas' leases lapse with it,
        // and another replica must take them over and replay the calls.
        SandboxClient::new(&sandbox_url)
            .inject_fault("wallet", "bind_card", "timeout", 30, Some(1_500))
            .await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        balancer.remove(&replicas[0].base_url());
        replicas[0].kill9();
        tokio::time::sleep(Duration::from_secs(2)).await;
        balancer.remove(&replicas[1].base_url());
        replicas[1].send_sigterm();
        let exit = replicas[1].wait_exit(Duration::from_secs(15));
        assert!(
            exit.is_some_and(|status| status.success()),
            "a drained replica exits 0: {exit:?}"
        );
    };
    let ((), outcome) = tokio::join!(stops, meanwhile);

    let runs = load.await.expect("load");
    assert_eq!(runs.len(), 300);
    let sandbox = SandboxClient::new(sandbox_url);
    assert_consistent(&sandbox, &balancer, &runs).await;
    outcome
}

#[tokio::test(flavor = "multi_thread")]
async fn three_replicas_survive_a_kill_and_a_drain_mid_load() {
    three_replicas_through_a_kill_and_a_drain(&redis_url(), async {}).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_replicas_on_a_redis_cluster_survive_a_failover_and_a_killed_master() {
    let cluster = tokio::task::spawn_blocking(PrivateCluster::started)
        .await
        .expect("cluster");
    let urls = cluster.urls();
    let failures = async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let cluster = tokio::task::spawn_blocking(move || {
            cluster.fail_over();
            cluster
        })
        .await
        .expect("failover");
        tokio::time::sleep(Duration::from_secs(2)).await;
        tokio::task::spawn_blocking(move || {
            let mut cluster = cluster;
            cluster.kill_a_master();
            cluster
        })
        .await
        .expect("kill a master")
    };
    let _cluster = three_replicas_through_a_kill_and_a_drain(&urls, failures).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_at_one_replica_resolves_the_call_in_flight_at_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox_process = TestEnv::start_sandbox_process(dir.path()).await;
    let sandbox_url = sandbox_process.base_url();
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let a = replica(dir.path(), "a", &redis_url(), &prefix, &sandbox_url).await;
    let b = replica(dir.path(), "b", &redis_url(), &prefix, &sandbox_url).await;
    let sandbox = SandboxClient::new(sandbox_url);
    sandbox
        .inject_fault("wallet", "bind_card", "timeout", 1, Some(2_500))
        .await;
    let person = person();
    let id = Api::new(a.base_url())
        .start_onboarding(&onboarding_body(&person, &card_number()))
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while sandbox.ledger().await.count(&id, "bind_card") == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "bind_card never sent"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let at_b = Api::new(b.base_url());
    at_b.send(
        Method::POST,
        &format!("/v1/admin/workflows/{id}/cancel"),
        Some(OPERATOR_KEY),
        None,
        None,
    )
    .await
    .expect_status(200, "cancel at b");
    let done = at_b.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    let ledger = sandbox.ledger().await;
    assert_eq!(ledger.count(&id, "bind_card"), 1);
    assert_eq!(ledger.count(&id, "unbind_card"), 1);
    let held = sandbox.wallet_person(&person.id_number).await;
    let bound = ledger.subject(&id, "bind_card").unwrap();
    assert_eq!(
        binding(&held, &bound).unwrap()["status"],
        "removed",
        "{held}"
    );
}
