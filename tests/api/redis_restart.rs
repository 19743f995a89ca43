//! Redis as production runs it (`appendonly yes`, `appendfsync everysec`) killed with
//! SIGKILL and restarted mid-load: the orchestrator reconnects on its own and every saga
//! goes on to its end, each effect applied once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use onboard_tests::{card_number, onboarding_body, person, PrivateRedis, TestEnv, TestEnvBuilder};

use reqwest::Method;

use crate::flows::{assert_registered_once, str_at};

/// Registrations in the load.
const SAGAS: usize = 60;

/// How long one request may keep failing while Redis is away: a request cut off by the
/// kill keeps its Idempotency-Key in flight (409) for 30 s.
const OUTAGE: Duration = Duration::from_secs(45);

/// A registration started, approved and completed, each request retried under its key
/// while Redis is away.
async fn registration(env: &TestEnv) -> String {
    let body = onboarding_body(&person(), &card_number());
    let key = uuid::Uuid::new_v4().to_string();
    let deadline = tokio::time::Instant::now() + OUTAGE;
    let id = loop {
        match env.api.try_start_onboarding(&body, &key).await {
            Ok(reply) if reply.status == 202 => break str_at(&reply.body, &["id"]),
            other => assert!(tokio::time::Instant::now() < deadline, "start: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let waiting = env
        .api
        .wait_for(&id, OUTAGE, "waiting", |w| w["status"] == "waiting")
        .await;
    let prompt_id = str_at(&waiting, &["waiting_for", "prompt_id"]);
    loop {
        match env.api.try_decide(&prompt_id, "approve", Some(&id)).await {
            Ok(reply) if reply.status == 200 => break,
            // An earlier try was applied but its answer was lost with Redis: the saga
            // went on, and its end below says whether the approval took.
            Ok(reply) if reply.code() == Some("prompt_closed") => break,
            other => assert!(tokio::time::Instant::now() < deadline, "decide: {other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = env
        .api
        .wait_for(&id, OUTAGE, "final", onboard_tests::is_final)
        .await;
    assert_eq!(done["status"], "completed", "{done}");
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_and_restarted_redis_loses_no_saga_and_doubles_no_effect() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut redis = PrivateRedis::durable(data.path());
    let env = TestEnvBuilder::redis_at(redis.url()).start().await;
    let finished = AtomicUsize::new(0);
    let load = async {
        let runs = (0..SAGAS).map(|_| async {
            let id = registration(&env).await;
            finished.fetch_add(1, Ordering::SeqCst);
            id
        });
        futures::future::join_all(runs).await
    };
    let outage = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        redis.stop();
        let during = finished.load(Ordering::SeqCst);
        assert!(during < SAGAS, "the outage came after the load");
        let ready = env.api.send(Method::GET, "/readyz", None, None, None).await;
        assert_eq!(ready.status, 503, "not ready while Redis is down");
        tokio::time::sleep(Duration::from_secs(2)).await;
        redis.start();
    };
    let (ids, ()) = tokio::join!(load, outage);

    let ledger = env.sandbox.ledger().await;
    for id in &ids {
        assert_registered_once(&ledger, id);
    }
}
