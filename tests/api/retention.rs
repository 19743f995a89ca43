//! Retention through the binary: with a one-second period, a finished saga goes with
//! every record of it (no Redis key, member or value names it; the embedded file holds
//! nothing of it), its GET and history answer 404, while a saga waiting on its security
//! prompt keeps everything and can still be driven to the end. A link whose token lapsed
//! unused goes the same way, with its sealed user reference; a linked one stays. A revoked
//! virtual account forgets its real account (it leaves the wallet's listing) and still
//! answers 410 to its merchant.

use std::time::{Duration, Instant};

use onboard_actors::store::{
    EmbeddedStore, ListFilter, SagaStore, SealedKind, SealedStore, StoreError,
};
use onboard_tests::{
    card_number, onboarding_body, person, TestEnv, TestEnvBuilder, MERCHANT_KEY, OPERATOR_KEY,
    WALLET_KEY,
};
use reqwest::Method;

use crate::flows::{start_until_prompt, Prompted};
use crate::linking;

/// A server that keeps finished sagas (and lapsed links) one second and sweeps every
/// second; link tokens live two seconds.
async fn start(builder: TestEnvBuilder) -> TestEnv {
    builder
        .env("ONBOARD_RETENTION__FINISHED_SECS", 1)
        .env("ONBOARD_LINKS__TOKEN_TTL_SECS", 2)
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
    assert_eq!(
        sealed_keys(&store, SealedKind::SagaState).await,
        [waiting.id.as_str()]
    );
    assert!(store.journal(&waiting.id).await.expect("journal").len() > 1);
}

/// A link left pending and a link completed; their ids, once the pending one is gone
/// (its GET answers 404) and while the linked one still reads `linked`.
async fn one_lapsed_one_linked(env: &TestEnv) -> (String, String) {
    let lapsing = linking::create_link(&env.api, MERCHANT_KEY, "user-lapsing").await;
    lapsing.expect_status(201, "POST /v1/links");
    let lapsing = lapsing.body["id"].as_str().expect("a link id").to_owned();
    let account = linking::wallet_account(env).await;
    let link = linking::create_link(&env.api, MERCHANT_KEY, "user-linked").await;
    link.expect_status(201, "POST /v1/links");
    let token = link.body["link_token"].as_str().expect("a link token");
    let minted = linking::exchange(&env.api, &account, token).await;
    minted.expect_status(201, "POST /v1/virtual-accounts");
    let linked = link.body["id"].as_str().expect("a link id").to_owned();
    let virtual_id = minted.body["virtual_account_id"].as_str().expect("an id");
    linking::complete(&env.api, MERCHANT_KEY, &linked, virtual_id)
        .await
        .expect_status(200, "complete");

    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let read = linking::get_link(&env.api, MERCHANT_KEY, &lapsing).await;
        if read.status == 404 {
            read.expect_problem(404, "not_found", "GET a purged link");
            break;
        }
        read.expect_status(200, "GET the lapsing link");
        assert!(Instant::now() < deadline, "still there: {}", read.text);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let kept = linking::get_link(&env.api, MERCHANT_KEY, &linked).await;
    kept.expect_status(200, "GET the linked link");
    assert_eq!(kept.body["status"], "linked", "{}", kept.text);
    (lapsing, linked)
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_a_lapsed_link_goes_and_a_linked_one_stays() {
    let mut env = start(TestEnvBuilder::redis()).await;
    let (lapsed, linked) = one_lapsed_one_linked(&env).await;
    assert_eq!(redis_traces_of(&mut env, &lapsed), Vec::<String>::new());
    assert!(!redis_traces_of(&mut env, &linked).is_empty());
    let metrics = env
        .api
        .send(Method::GET, "/metrics", None, None, None)
        .await;
    assert!(
        metrics
            .text
            .contains("onboard_retention_purged_total{record=\"link\"} 1"),
        "{}",
        metrics.text
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_a_lapsed_link_goes_and_a_linked_one_stays() {
    let mut env = start(TestEnvBuilder::embedded()).await;
    let (_, linked) = one_lapsed_one_linked(&env).await;
    assert!(env.server.terminate(), "the server did not stop");
    let path = env.dir().join("data").join("onboard.redb");
    let store = open_when_free(&path).await;
    assert_eq!(
        sealed_keys(&store, SealedKind::LinkUserRef).await,
        [linked.as_str()]
    );
}

/// The keys of the sealed values of `kind` in the embedded store (the first hundred).
async fn sealed_keys(store: &EmbeddedStore, kind: SealedKind) -> Vec<String> {
    let page = store
        .sealed_page(kind, None, 100)
        .await
        .expect("sealed values");
    page.values.into_iter().map(|value| value.key).collect()
}

/// A virtual account linked and revoked; its id, once the wallet's listing of the account
/// is empty, while a service request with it still answers 410.
async fn revoked_and_forgotten(env: &TestEnv) -> String {
    let account = linking::wallet_account(env).await;
    let virtual_id = linking::linked(&env.api, MERCHANT_KEY, &account).await;
    assert_eq!(linking::revoke(env, WALLET_KEY, &virtual_id).await, 204);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let listing = linking::listed(env, WALLET_KEY, &account).await;
        if listing.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "still listed: {listing:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    linking::charge(&env.api, MERCHANT_KEY, &virtual_id, "5", None)
        .await
        .expect_problem(410, "virtual_account_revoked", "a charge once forgotten");
    virtual_id
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_a_revoked_virtual_account_forgets_its_real_account() {
    let mut env = start(TestEnvBuilder::redis()).await;
    let virtual_id = revoked_and_forgotten(&env).await;
    let redis = env.redis();
    let keys = redis.keys_containing(&format!(":va:{virtual_id}"));
    assert_eq!(keys.len(), 1, "the id stays: {keys:?}");
    let fields = redis.hash_fields(&keys[0]);
    assert!(
        !fields.iter().any(|field| field == "a" || field == "k"),
        "the sealed account or its key is still there: {fields:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_a_revoked_virtual_account_forgets_its_real_account() {
    let mut env = start(TestEnvBuilder::embedded()).await;
    revoked_and_forgotten(&env).await;
    assert!(env.server.terminate(), "the server did not stop");
    let store = open_when_free(&env.dir().join("data").join("onboard.redb")).await;
    assert_eq!(
        sealed_keys(&store, SealedKind::VirtualAccount).await,
        Vec::<String>::new()
    );
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
