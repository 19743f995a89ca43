//! Steps shared by several tests: start a saga, reach its prompt, check the wallet.

use onboard_tests::{
    account, binding, card_number, onboarding_body, person, Ledger, Person, TestEnv, OPERATOR_KEY,
};
use reqwest::Method;
use serde_json::Value;

/// A saga started for a new person and now waiting for its security prompt.
pub struct Prompted {
    /// The person.
    pub person: Person,
    /// The card being bound.
    pub card: String,
    /// The workflow id.
    pub id: String,
    /// The open prompt's id.
    pub prompt_id: String,
    /// The account the saga registered.
    pub payment_account_id: String,
}

/// Starts a saga for a fresh person (no wallet account) and waits for its prompt.
pub async fn start_until_prompt(env: &TestEnv) -> Prompted {
    let person = person();
    let card = card_number();
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person, &card))
        .await;
    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "workflow {id}: {waiting}");
    assert_eq!(
        waiting["waiting_for"]["kind"], "security_prompt",
        "workflow {id}: {waiting}"
    );
    let prompt_id = str_at(&waiting, &["waiting_for", "prompt_id"]);
    let payment_account_id = str_at(&waiting, &["result", "payment_account_id"]);
    Prompted {
        person,
        card,
        id,
        prompt_id,
        payment_account_id,
    }
}

/// The string at a JSON path; panics with the document when absent.
#[track_caller]
pub fn str_at(value: &Value, path: &[&str]) -> String {
    let mut at = value;
    for key in path {
        at = &at[*key];
    }
    at.as_str()
        .unwrap_or_else(|| panic!("no string at {path:?} in {value}"))
        .to_owned()
}

/// The status of an account and of a binding as the wallet holds them.
pub async fn wallet_state(
    env: &TestEnv,
    id_number: &str,
    payment_account_id: &str,
    binding_id: Option<&str>,
) -> (String, Option<String>) {
    let held = env.sandbox.wallet_person(id_number).await;
    let account_status = account(&held, payment_account_id)
        .unwrap_or_else(|| panic!("wallet has no account {payment_account_id}: {held}"))["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let binding_status = binding_id.map(|b| {
        binding(&held, b).unwrap_or_else(|| panic!("wallet has no binding {b}: {held}"))["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    });
    (account_status, binding_status)
}

/// The status of the step named `name` in a workflow, if it has one.
pub fn step_status(workflow: &Value, name: &str) -> Option<String> {
    workflow["steps"]
        .as_array()?
        .iter()
        .rev()
        .find(|s| s["name"] == name)
        .and_then(|s| s["status"].as_str())
        .map(str::to_owned)
}

/// Asserts that the step named `name` of a workflow is `expected`.
#[track_caller]
pub fn assert_step(workflow: &Value, name: &str, expected: &str) {
    assert_eq!(
        step_status(workflow, name).as_deref(),
        Some(expected),
        "step {name}; steps: {}",
        workflow["steps"]
    );
}

/// Approves the prompt the workflow waits on and waits until it is final.
pub async fn approve_until_final(env: &TestEnv, id: &str) -> Value {
    let waiting = env.api.wait_for_prompt(id).await;
    env.api
        .decide(&str_at(&waiting, &["waiting_for", "prompt_id"]), "approve")
        .await
        .expect_status(200, "approve");
    env.api.wait_final(id).await
}

/// Asserts that the registration `id` applied exactly its two effects, once each: an
/// account registered and a card bound, nothing undone.
pub fn assert_registered_once(ledger: &Ledger, id: &str) {
    let effects = ledger.summary(id);
    assert_eq!(
        effects.get("register_account"),
        Some(&1),
        "{id}: {effects:?}"
    );
    assert_eq!(effects.get("bind_card"), Some(&1), "{id}: {effects:?}");
    assert_eq!(effects.len(), 2, "{id}: nothing undone: {effects:?}");
}

/// The operator's history of workflow `id`: its events, oldest first.
pub async fn history(env: &TestEnv, id: &str) -> Vec<Value> {
    let reply = env
        .api
        .send(
            Method::GET,
            &format!("/v1/admin/workflows/{id}/history"),
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    reply.expect_status(200, "history");
    reply.body["events"].as_array().expect("events").clone()
}

/// Starts a registration for a fresh person whose wallet `operation` answers its next
/// `times` calls with fault `mode`; answers the workflow id and the person.
pub async fn start_with_failing(
    env: &TestEnv,
    operation: &str,
    mode: &str,
    times: u32,
) -> (String, Person) {
    env.sandbox
        .inject_fault("wallet", operation, mode, times, None)
        .await;
    let person = person();
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person, &card_number()))
        .await;
    (id, person)
}
