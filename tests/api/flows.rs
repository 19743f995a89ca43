//! Steps shared by several tests: start a saga, reach its prompt, check the wallet.

use onboard_tests::{account, binding, card_number, onboarding_body, person, Person, TestEnv};
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
