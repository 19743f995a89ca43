//! `Idempotency-Key` on `POST /v1/onboardings`: replays, concurrent duplicates,
//! and a key reused for another body.

use std::collections::BTreeSet;

use onboard_tests::{
    card_number, onboarding_body, person, Api, Reply, TestEnv, TestEnvBuilder, OPERATOR_KEY,
};
use reqwest::Method;
use serde_json::Value;

use crate::flows::str_at;

#[tokio::test(flavor = "multi_thread")]
async fn same_key_and_body_replays_the_first_answer() {
    let mut env = TestEnvBuilder::redis().start().await;
    let body = onboarding_body(&person(), &card_number());

    let first = post(&env.api, &body, "replay-key").await;
    first.expect_status(202, "first POST");
    let second = post(&env.api, &body, "replay-key").await;
    second.expect_status(202, "replayed POST");
    let id = str_at(&first.body, &["id"]);
    assert_eq!(
        second.body["id"],
        id.as_str(),
        "replay answered another workflow: {}",
        second.text
    );
    assert_eq!(second.header("location"), first.header("location"));

    env.api.wait_for_prompt(&id).await;
    let third = post(&env.api, &body, "replay-key").await;
    third.expect_status(202, "POST replayed after the saga advanced");
    assert_eq!(third.body["id"], id.as_str(), "{}", third.text);

    assert_one_saga(&mut env, &id).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_duplicates_start_one_saga() {
    let mut env = TestEnvBuilder::redis().start().await;
    let body = onboarding_body(&person(), &card_number());

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let api = env.api.clone();
        let body = body.clone();
        tasks.spawn(async move { api.try_start_onboarding(&body, "concurrent-key").await });
    }
    let mut ids = BTreeSet::new();
    let mut accepted = 0;
    while let Some(joined) = tasks.join_next().await {
        let reply = joined.expect("task").expect("transport");
        match reply.status {
            202 => {
                accepted += 1;
                ids.insert(str_at(&reply.body, &["id"]));
            }
            409 => {
                reply.expect_problem(409, "idempotency_key_in_use", "overlapping duplicate");
            }
            other => panic!("concurrent duplicate answered {other}: {}", reply.text),
        }
    }
    assert!(accepted >= 1, "no duplicate was accepted");
    assert_eq!(
        ids.len(),
        1,
        "duplicates started several workflows: {ids:?}"
    );
    let id = ids.into_iter().next().expect("one id");

    let after = post(&env.api, &body, "concurrent-key").await;
    after.expect_status(202, "POST after the duplicates settled");
    assert_eq!(after.body["id"], id.as_str(), "{}", after.text);

    env.api.wait_for_prompt(&id).await;
    assert_one_saga(&mut env, &id).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn same_key_with_another_body_is_refused() {
    let mut env = TestEnvBuilder::redis().start().await;
    let person = person();
    let body = onboarding_body(&person, &card_number());
    let first = post(&env.api, &body, "reused-key").await;
    first.expect_status(202, "first POST");

    let other = onboarding_body(&person, &card_number());
    let reply = post(&env.api, &other, "reused-key").await;
    reply.expect_problem(422, "idempotency_key_reused", "same key, other body");

    let sagas = env.redis().keys_containing(":saga:");
    assert_eq!(sagas.len(), 1, "saga keys in Redis: {sagas:?}");

    // Another key with the first body is a new request, not a replay.
    let fresh = post(&env.api, &body, "another-key").await;
    fresh.expect_status(202, "same body, other key");
    assert_ne!(fresh.body["id"], first.body["id"], "{}", fresh.text);
}

/// `POST /v1/onboardings` with `key`, panicking on a transport error.
async fn post(api: &Api, body: &Value, key: &str) -> Reply {
    api.try_start_onboarding(body, key)
        .await
        .unwrap_or_else(|e| panic!("POST /v1/onboardings: transport error: {e}"))
}

/// Exactly one saga, `id`, exists: its effects once each in the ledger, one
/// saga key in Redis, one workflow in the operator listing.
async fn assert_one_saga(env: &mut TestEnv, id: &str) {
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.workflow_ids(),
        BTreeSet::from([id.to_owned()]),
        "{:?}",
        ledger.effects
    );
    assert_eq!(ledger.count(id, "register_account"), 1);
    assert_eq!(ledger.count(id, "bind_card"), 1);
    let sagas = env.redis().keys_containing(":saga:");
    assert_eq!(sagas.len(), 1, "saga keys in Redis: {sagas:?}");
    assert_eq!(listed_workflows(&env.api).await, 1);
}

/// How many registration workflows the operator listing shows.
async fn listed_workflows(api: &Api) -> usize {
    let reply = api
        .send(
            Method::GET,
            "/v1/admin/workflows?kind=payment_account_registration&limit=100",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    reply.expect_status(200, "GET /v1/admin/workflows");
    reply.body["workflows"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_else(|| panic!("no workflows array: {}", reply.text))
}
