//! Party answers that do not succeed plainly: an answer lost after the effect was applied
//! (`garbled`, `in_progress`, `timeout`) and an answer that fits nothing documented
//! (`unauthorized`). None of them is a refusal: the saga retries under the same key, so
//! each effect happens once and nothing is compensated on a guess.

use std::time::Duration;

use onboard_tests::{
    account, binding, card_number, onboarding_body, person, TestEnv, TestEnvBuilder, OPERATOR_KEY,
};
use reqwest::Method;

use crate::flows::{approve_until_final, assert_registered_once, start_with_failing, str_at};

/// Runs a registration whose `operation` first answers with `mode` after applying the
/// call, approves its prompt, and checks that every effect happened exactly once.
async fn completes_once_despite(env: &TestEnv, operation: &str, mode: &str) {
    let (id, person) = start_with_failing(env, operation, mode, 2).await;
    let done = approve_until_final(env, &id).await;
    assert_eq!(done["status"], "completed", "{mode} on {operation}: {done}");
    assert_registered_once(&env.sandbox.ledger().await, &id);
    let held = env.sandbox.wallet_person(&person.id_number).await;
    assert_eq!(held["accounts"].as_array().map(Vec::len), Some(1), "{held}");
    let binding_id = str_at(&done, &["result", "binding_id"]);
    assert_eq!(binding(&held, &binding_id).unwrap()["status"], "active");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_garbled_answer_is_retried_and_the_effect_happens_once() {
    let env = TestEnvBuilder::redis().start().await;
    completes_once_despite(&env, "register_account", "garbled").await;
    completes_once_despite(&env, "bind_card", "garbled").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn request_in_progress_is_retried_and_the_effect_happens_once() {
    let env = TestEnvBuilder::redis().start().await;
    completes_once_despite(&env, "register_account", "in_progress").await;
    completes_once_despite(&env, "bind_card", "in_progress").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unauthorized_answer_is_never_taken_for_a_refusal() {
    let env = TestEnvBuilder::redis()
        .env("ONBOARD_CONNECTORS__MAX_ATTEMPTS", 1000)
        .start()
        .await;
    let (id, _) = start_with_failing(&env, "bind_card", "unauthorized", 1000).await;
    tokio::time::sleep(Duration::from_secs(2)).await;

    let stuck = env.api.try_get_onboarding(&id, 0).await.expect("get");
    assert_eq!(stuck.body["status"], "running", "{}", stuck.text);
    let effects = env.sandbox.ledger().await.summary(&id);
    assert_eq!(effects.get("register_account"), Some(&1), "{effects:?}");
    assert_eq!(effects.get("close_account"), None, "{effects:?}");

    env.sandbox.clear_faults().await;
    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    let effects = env.sandbox.ledger().await.summary(&id);
    assert_eq!(effects.get("bind_card"), Some(&1), "{effects:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_while_bind_card_is_in_doubt_removes_the_binding() {
    let env = TestEnvBuilder::redis()
        .env("ONBOARD_CONNECTORS__TIMEOUT_MS", 500)
        .start()
        .await;
    env.sandbox
        .inject_fault("wallet", "bind_card", "timeout", 1, Some(3000))
        .await;
    let person = person();
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person, &card_number()))
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while env.sandbox.ledger().await.count(&id, "bind_card") == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "bind_card never applied"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let cancel = env
        .api
        .send(
            Method::POST,
            &format!("/v1/admin/workflows/{id}/cancel"),
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    cancel.expect_status(200, "cancel while bind_card is in doubt");
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");

    let effects = env.sandbox.ledger().await.summary(&id);
    assert_eq!(effects.get("bind_card"), Some(&1), "{effects:?}");
    assert_eq!(effects.get("unbind_card"), Some(&1), "{effects:?}");
    assert_eq!(effects.get("close_account"), Some(&1), "{effects:?}");
    let held = env.sandbox.wallet_person(&person.id_number).await;
    let bound = env
        .sandbox
        .ledger()
        .await
        .subject(&id, "bind_card")
        .unwrap();
    assert_eq!(
        binding(&held, &bound).unwrap()["status"],
        "removed",
        "{held}"
    );
    let registered = env
        .sandbox
        .ledger()
        .await
        .subject(&id, "register_account")
        .unwrap();
    assert_eq!(account(&held, &registered).unwrap()["status"], "closed");
}
