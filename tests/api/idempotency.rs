//! `Idempotency-Key` on `POST /v1/onboardings`: replays, concurrent duplicates,
//! and a key reused for another body.

use std::collections::BTreeSet;

use onboard_tests::{card_number, onboarding_body, person, Api, TestEnvBuilder, OPERATOR_KEY};
use reqwest::Method;

use crate::flows::str_at;

#[tokio::test(flavor = "multi_thread")]
async fn same_key_and_body_replays_the_first_answer() {
    let mut env = TestEnvBuilder::redis().start().await;
    let body = onboarding_body(&person(), &card_number());

    let first = env
        .api
        .try_start_onboarding(&body, "replay-key")
        .await
        .unwrap();
    first.expect_status(202, "first POST");
    let second = env
        .api
        .try_start_onboarding(&body, "replay-key")
        .await
        .unwrap();
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
    let third = env
        .api
        .try_start_onboarding(&body, "replay-key")
        .await
        .unwrap();
    third.expect_status(202, "POST replayed after the saga advanced");
    assert_eq!(third.body["id"], id.as_str(), "{}", third.text);

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.workflow_ids(),
        BTreeSet::from([id.clone()]),
        "{:?}",
        ledger.effects
    );
    assert_eq!(ledger.count(&id, "register_account"), 1);
    assert_eq!(ledger.count(&id, "bind_card"), 1);
    let sagas = env.redis().keys_containing(":saga:");
    assert_eq!(sagas.len(), 1, "saga keys in Redis: {sagas:?}");
    assert_eq!(listed_workflows(&env.api).await, 1);
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

    let after = env
        .api
        .try_start_onboarding(&body, "concurrent-key")
        .await
        .unwrap();
    after.expect_status(202, "POST after the duplicates settled");
    assert_eq!(after.body["id"], id.as_str(), "{}", after.text);

    env.api.wait_for_prompt(&id).await;
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.workflow_ids(),
        BTreeSet::from([id.clone()]),
        "{:?}",
        ledger.effects
    );
    assert_eq!(ledger.count(&id, "register_account"), 1);
    assert_eq!(ledger.count(&id, "bind_card"), 1);
    let sagas = env.redis().keys_containing(":saga:");
    assert_eq!(sagas.len(), 1, "saga keys in Redis: {sagas:?}");
    assert_eq!(listed_workflows(&env.api).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn same_key_with_another_body_is_refused() {
    let mut env = TestEnvBuilder::redis().start().await;
    let person = person();
    let body = onboarding_body(&person, &card_number());
    let first = env
        .api
        .try_start_onboarding(&body, "reused-key")
        .await
        .unwrap();
    first.expect_status(202, "first POST");

    let other = onboarding_body(&person, &card_number());
    let reply = env
        .api
        .try_start_onboarding(&other, "reused-key")
        .await
        .unwrap();
    reply.expect_problem(422, "idempotency_key_reused", "same key, other body");

    let sagas = env.redis().keys_containing(":saga:");
    assert_eq!(sagas.len(), 1, "saga keys in Redis: {sagas:?}");

    // Another key with the first body is a new request, not a replay.
    let fresh = env
        .api
        .try_start_onboarding(&body, "another-key")
        .await
        .unwrap();
    fresh.expect_status(202, "same body, other key");
    assert_ne!(fresh.body["id"], first.body["id"], "{}", fresh.text);
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
