//! Retention through the binary: with a one-second period, a finished saga goes with
//! every record of it (no Redis key, member or value names it; the embedded file holds
//! nothing of it), its GET and history answer 404, while a saga waiting on its security
//! prompt keeps everything and can still be driven to the end.

use std::time::{Duration, Instant};

use onboard_actors::store::{
    EmbeddedStore, ListFilter, SagaStore, SealedKind, SealedStore, StoreError,
};
use onboard_tests::{card_number, onboarding_body, person, TestEnv, TestEnvBuilder, OPERATOR_KEY};
use reqwest::Method;

use crate::flows::{start_until_prompt, Prompted};

/// A server that keeps finished sagas one second and sweeps every second.
async fn start(builder: TestEnvBuilder) -> TestEnv {
    builder
        .env("ONBOARD_RETENTION__FINISHED_SECS", 1)
        .env("ONBOARD_RETENTION__SWEEP_INTERVAL_SECS", 1)
        .start()
        .await
}

/// A registration that completes at once (the wallet knows the person: no prompt), and
/// one that waits on its security prompt.
async fn one_finished_one_waiting(env: &TestEnv) -> (String, Prompted) {
    let known = person();
    env.sandbox.create_wallet_user(&known).await;
    let done = env
        .api
        .start_onboarding(&onboarding_body(&known, &card_number()))
        .await;
    let finished = env.api.wait_final(&done).await;
    assert_eq!(finished["status"], "completed", "{finished}");
    let waiting = start_until_prompt(env).await;
    (done, waiting)
}

/// Waits until workflow `id` answers 404, by its GET and its history.
async fn wait_until_gone(env: &TestEnv, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = env
            .api
            .try_get_onboarding(id, 0)
            .await
            .expect("GET transport");
        if reply.status == 404 {
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert!(
            Instant::now() < deadline,
            "{id} still there: {}",
            reply.text
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    env.api
        .try_get_onboarding(id, 0)
        .await
        .expect("GET transport")
        .expect_problem(404, "not_found", "GET after retention");
    let history = env
        .api
        .send(
            Method::GET,
            &format!("/v1/admin/workflows/{id}/history"),
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    history.expect_problem(404, "not_found", "history after retention");
}

/// The waiting saga is still whole: readable, listed among its account's prompts.
async fn still_waiting(env: &TestEnv, waiting: &Prompted) {
    let reply = env
        .api
        .try_get_onboarding(&waiting.id, 0)
        .await
        .expect("GET transport");
    reply.expect_status(200, "GET the waiting saga");
    assert_eq!(reply.body["status"], "waiting", "{}", reply.text);
    let prompts = env.api.prompts(&waiting.payment_account_id).await;
    prompts.expect_status(200, "its prompts");
    assert_eq!(
        prompts.body["prompts"][0]["id"], waiting.prompt_id,
        "{}",
        prompts.text
    );
}

/// The Redis keys under the test's prefix that name `id` in their name or value.
fn redis_traces_of(env: &mut TestEnv, id: &str) -> Vec<String> {
    env.redis()
        .dump()
        .into_iter()
        .filter(|(key, value)| key.contains(id) || String::from_utf8_lossy(value).contains(id))
        .map(|(key, _)| key)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_finished_sagas_go_whole_and_waiting_ones_keep_everything() {
    let mut env = start(TestEnvBuilder::redis()).await;
    let (done, waiting) = one_finished_one_waiting(&env).await;
    assert!(!redis_traces_of(&mut env, &done).is_empty());

    wait_until_gone(&env, &done).await;
    assert_eq!(redis_traces_of(&mut env, &done), Vec::<String>::new());

    still_waiting(&env, &waiting).await;
    let kept = redis_traces_of(&mut env, &waiting.id);
    for part in [":saga:", ":journal:", ":idx:prompts:", ":all", ":timers"] {
        assert!(
            kept.iter().any(|key| key.contains(part)),
            "no {part} of the waiting saga in {kept:?}"
        );
    }

    // Still driven to the end, and then it goes too.
    let decided = env.api.decide(&waiting.prompt_id, "approve").await;
    decided.expect_status(200, "approve");
    assert_eq!(
        decided.body["workflow_status"], "completed",
        "{}",
        decided.text
    );
    wait_until_gone(&env, &waiting.id).await;
    assert_eq!(redis_traces_of(&mut env, &waiting.id), Vec::<String>::new());

    let metrics = env
        .api
        .send(Method::GET, "/metrics", None, None, None)
        .await;
    let sagas_purged = metrics
        .text
        .lines()
        .find_map(|line| line.strip_prefix("onboard_retention_purged_total{record=\"saga\"} "))
        .and_then(|count| count.parse::<u64>().ok());
    assert_eq!(sagas_purged, Some(2), "{}", metrics.text);
    assert!(
        env.server.stdout_logs().contains("retention purged"),
        "no retention log line"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_finished_sagas_go_whole_and_waiting_ones_keep_everything() {
    let mut env = start(TestEnvBuilder::embedded()).await;
    let (done, waiting) = one_finished_one_waiting(&env).await;
    wait_until_gone(&env, &done).await;
    still_waiting(&env, &waiting).await;
    let listed = env
        .api
        .send(
            Method::GET,
            "/v1/admin/workflows?limit=100",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    assert!(!listed.text.contains(&done), "{}", listed.text);
    assert!(listed.text.contains(&waiting.id), "{}", listed.text);
    assert!(env.server.terminate(), "the server did not stop");

    // The file, opened once the server let go of it.
    let path = env.dir().join("data").join("onboard.redb");
    let store = open_when_free(&path).await;
    assert!(store.load(&done).await.expect("load").is_none());
    assert!(store.journal(&done).await.expect("journal").is_empty());
    let all = store.list(&ListFilter::default()).await.expect("list");
    assert_eq!(
        all.iter().map(|saga| saga.id.as_str()).collect::<Vec<_>>(),
        [waiting.id.as_str()]
    );
    let states = store
        .sealed_page(SealedKind::SagaState, None, 100)
        .await
        .expect("sealed states");
    assert_eq!(
        states
            .values
            .iter()
            .map(|value| value.key.as_str())
            .collect::<Vec<_>>(),
        [waiting.id.as_str()]
    );
    assert!(store.journal(&waiting.id).await.expect("journal").len() > 1);
}

/// The embedded store at `path`, retried briefly while the stopped server's lock lingers.
async fn open_when_free(path: &std::path::Path) -> EmbeddedStore {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match EmbeddedStore::open(path) {
            Ok(store) => return store,
            Err(StoreError::InUse(_)) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => panic!("cannot open {}: {error}", path.display()),
        }
    }
}
