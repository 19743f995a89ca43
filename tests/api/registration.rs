//! The registration saga's outcomes: approved, existing account, declined card.

use onboard_tests::{
    account, card_number, counts, onboarding_body, person, Person, TestEnv, TestEnvBuilder,
    BANK_KEY,
};
use reqwest::Method;
use serde_json::Value;

use crate::flows::{assert_step, start_until_prompt, str_at, wallet_state};

const DECLINED_CARD: &str = "4000000000000002";

/// The effects of a saga undone after binding: each done and undone once.
const UNDONE: [(&str, usize); 4] = [
    ("register_account", 1),
    ("bind_card", 1),
    ("unbind_card", 1),
    ("close_account", 1),
];

/// Waits for workflow `id` to end and asserts it compensated with `code`.
async fn compensated(env: &TestEnv, id: &str, code: &str) -> Value {
    let done = env.api.wait_final(id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert_eq!(done["error"]["code"], code, "{done}");
    done
}

/// Starts a registration of `person` with a card the bank declines and waits
/// for it to compensate with `card_declined`; returns its id and final state.
async fn start_declined(env: &TestEnv, person: &Person) -> (String, Value) {
    let body = onboarding_body(person, DECLINED_CARD);
    let id = env.api.start_onboarding(&body).await;
    let done = compensated(env, &id, "card_declined").await;
    (id, done)
}

#[tokio::test(flavor = "multi_thread")]
async fn new_person_is_registered_bound_and_completed_after_approval() {
    let env = TestEnvBuilder::redis().start().await;
    let person = person();
    let card = card_number();
    let body = onboarding_body(&person, &card);

    let reply = env
        .api
        .send(
            Method::POST,
            "/v1/onboardings",
            Some(BANK_KEY),
            Some("happy-path-1"),
            Some(&body),
        )
        .await;
    reply.expect_status(202, "POST /v1/onboardings");
    let id = str_at(&reply.body, &["id"]);
    let location = reply.header("location").unwrap_or_default();
    assert!(
        location.ends_with(&format!("/v1/onboardings/{id}")),
        "Location {location:?} does not name workflow {id}"
    );
    assert_eq!(
        reply.body["kind"], "payment_account_registration",
        "{}",
        reply.text
    );
    assert!(
        matches!(reply.status_field(), Some("running" | "waiting")),
        "fresh workflow status: {}",
        reply.text
    );

    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    assert_eq!(
        waiting["waiting_for"]["kind"], "security_prompt",
        "{waiting}"
    );
    assert!(waiting["waiting_for"]["deadline"].is_string(), "{waiting}");
    let prompt_id = str_at(&waiting, &["waiting_for", "prompt_id"]);
    let account_id = str_at(&waiting, &["result", "payment_account_id"]);

    let prompts = env.api.prompts(&account_id).await;
    prompts.expect_status(200, "GET /v1/security-prompts");
    let listed = prompts.body["prompts"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["id"] == prompt_id.as_str()))
        .unwrap_or_else(|| panic!("prompt {prompt_id} not listed: {}", prompts.text));
    assert_eq!(listed["workflow_id"], id.as_str(), "{listed}");
    assert_eq!(
        listed["payment_account_id"],
        account_id.as_str(),
        "{listed}"
    );
    assert!(listed["reason"].is_string(), "{listed}");
    assert!(listed["expires_at"].is_string(), "{listed}");

    env.api
        .decide(&prompt_id, "approve")
        .await
        .expect_status(200, "approve");
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        done["result"]["payment_account_id"],
        account_id.as_str(),
        "{done}"
    );
    assert_eq!(done["result"]["account_created"], true, "{done}");
    let binding_id = str_at(&done, &["result", "binding_id"]);
    assert!(done["error"].is_null(), "{done}");
    assert!(done["waiting_for"].is_null(), "{done}");

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(&id),
        counts(&[("register_account", 1), ("bind_card", 1)]),
        "effects of {id}: {:?}",
        ledger.of(&id)
    );
    assert_eq!(
        ledger.subject(&id, "register_account").as_deref(),
        Some(account_id.as_str())
    );
    assert_eq!(
        ledger.subject(&id, "bind_card").as_deref(),
        Some(binding_id.as_str())
    );
    let (account_status, binding_status) =
        wallet_state(&env, &person.id_number, &account_id, Some(&binding_id)).await;
    assert_eq!(account_status, "open");
    assert_eq!(binding_status.as_deref(), Some("active"));

    let prompts = env.api.prompts(&account_id).await;
    assert_eq!(
        prompts.body["prompts"].as_array().map(Vec::len),
        Some(0),
        "a decided prompt is still listed as open: {}",
        prompts.text
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn existing_account_is_bound_without_a_prompt() {
    let env = TestEnvBuilder::redis().start().await;
    let person = person();
    let existing = env.sandbox.create_wallet_user(&person).await;
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person, &card_number()))
        .await;

    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(
        done["result"]["payment_account_id"],
        existing.as_str(),
        "{done}"
    );
    assert_eq!(done["result"]["account_created"], false, "{done}");
    let binding_id = str_at(&done, &["result", "binding_id"]);

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(&id),
        counts(&[("bind_card", 1)]),
        "effects of {id}: {:?}",
        ledger.of(&id)
    );
    let (account_status, binding_status) =
        wallet_state(&env, &person.id_number, &existing, Some(&binding_id)).await;
    assert_eq!(account_status, "open");
    assert_eq!(binding_status.as_deref(), Some("active"));
    let prompts = env.api.prompts(&existing).await;
    prompts.expect_status(200, "GET /v1/security-prompts");
    assert_eq!(
        prompts.body["prompts"].as_array().map(Vec::len),
        Some(0),
        "{}",
        prompts.text
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn declined_card_closes_the_account_the_saga_opened() {
    let env = TestEnvBuilder::redis().start().await;
    let person = person();
    let (id, done) = start_declined(&env, &person).await;

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(&id),
        counts(&[("register_account", 1), ("close_account", 1)]),
        "effects of {id}: {:?}",
        ledger.of(&id)
    );
    let created = ledger.subject(&id, "register_account").expect("registered");
    assert_eq!(ledger.subject(&id, "close_account"), Some(created.clone()));
    let (account_status, _) = wallet_state(&env, &person.id_number, &created, None).await;
    assert_eq!(account_status, "closed");
    assert_step(&done, "register_payment_account", "compensated");
}

#[tokio::test(flavor = "multi_thread")]
async fn declined_card_leaves_an_existing_account_open() {
    let env = TestEnvBuilder::redis().start().await;
    let person = person();
    let existing = env.sandbox.create_wallet_user(&person).await;
    let (id, _) = start_declined(&env, &person).await;
    let ledger = env.sandbox.ledger().await;
    assert!(
        ledger.of(&id).is_empty(),
        "effects of {id}: {:?}",
        ledger.of(&id)
    );
    let held = env.sandbox.wallet_person(&person.id_number).await;
    let account = account(&held, &existing).expect("fixture account");
    assert_eq!(account["status"], "open", "{held}");
    assert_eq!(
        account["bindings"].as_array().map(Vec::len),
        Some(0),
        "{held}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_prompt_unbinds_and_closes() {
    let env = TestEnvBuilder::redis().start().await;
    let flow = start_until_prompt(&env).await;

    env.api
        .decide(&flow.prompt_id, "reject")
        .await
        .expect_status(200, "reject");
    let done = compensated(&env, &flow.id, "security_rejected").await;

    let id = &flow.id;
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(id),
        counts(&UNDONE),
        "effects of {id}: {:?}",
        ledger.of(id)
    );
    let binding_id = ledger.subject(id, "bind_card").expect("bound");
    assert_eq!(ledger.subject(id, "unbind_card"), Some(binding_id.clone()));
    assert_eq!(
        ledger.subject(id, "close_account").as_deref(),
        Some(flow.payment_account_id.as_str())
    );
    let (account_status, binding_status) = wallet_state(
        &env,
        &flow.person.id_number,
        &flow.payment_account_id,
        Some(&binding_id),
    )
    .await;
    assert_eq!(account_status, "closed");
    assert_eq!(binding_status.as_deref(), Some("removed"));
    for step in ["bind_card", "register_payment_account"] {
        assert_step(&done, step, "compensated");
    }

    for decision in ["approve", "reject"] {
        env.api
            .decide(&flow.prompt_id, decision)
            .await
            .expect_problem(409, "prompt_closed", "second decision on a rejected prompt");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn prompt_deadline_compensates_with_security_timeout() {
    let env = TestEnvBuilder::redis().prompt_ttl_secs(2).start().await;
    let flow = start_until_prompt(&env).await;

    compensated(&env, &flow.id, "security_timeout").await;
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(&flow.id),
        counts(&UNDONE),
        "effects of {}: {:?}",
        flow.id,
        ledger.of(&flow.id)
    );

    env.api
        .decide(&flow.prompt_id, "approve")
        .await
        .expect_problem(409, "prompt_closed", "approving an expired prompt");
    let prompts = env.api.prompts(&flow.payment_account_id).await;
    assert_eq!(
        prompts.body["prompts"].as_array().map(Vec::len),
        Some(0),
        "an expired prompt is still listed as open: {}",
        prompts.text
    );
    let done_again = env.api.wait_final(&flow.id).await;
    assert_eq!(
        done_again["status"], "compensated",
        "late approval changed the saga: {done_again}"
    );
}
