//! End-to-end tests of the virtual-credit-account saga (seed 004): a payment
//! app's server applies with partial real-name info, the saga looks for an
//! existing credit account, asks for a savings card when none is bound, and the
//! bank opens the credit account.

mod cards;
mod compensation;
mod crash;
mod outcomes;
mod personal_data;
mod real_name;
mod validation;

use onboard_tests::{
    card_number, credit_application_body, id_suffix, person, Ledger, Person, TestEnv,
};
use serde_json::Value;

use crate::flows::str_at;

/// A person with an open wallet account, as the fixtures made them.
#[derive(Debug, Clone)]
pub struct Applicant {
    /// The person.
    pub person: Person,
    /// Their wallet account.
    pub payment_account_id: String,
}

impl Applicant {
    /// The application body with the right name and the last six id characters.
    pub fn body(&self) -> Value {
        credit_application_body(
            &self.payment_account_id,
            &self.person.name,
            &id_suffix(&self.person, 6),
        )
    }
}

/// A fresh wallet user with an optional history and an optional pre-bound savings card.
pub async fn applicant(
    env: &TestEnv,
    history: Option<&Value>,
    savings_card: Option<&str>,
) -> Applicant {
    let person = person();
    let payment_account_id = env
        .sandbox
        .create_wallet_user_with(&person, history, savings_card)
        .await;
    Applicant {
        person,
        payment_account_id,
    }
}

/// An application waiting for a savings card, and a card the bank issued to the person.
pub struct Waiting {
    /// Who applied.
    pub applicant: Applicant,
    /// The workflow id.
    pub id: String,
    /// A savings card of the person, registered at the bank but not bound.
    pub card: String,
}

/// Applies for a fresh person without a savings binding and waits until the saga
/// asks for a savings card.
pub async fn start_waiting(env: &TestEnv, history: Option<&Value>) -> Waiting {
    let applicant = applicant(env, history, None).await;
    let card = card_number();
    env.sandbox
        .register_savings_card(&card, &applicant.person.id_number)
        .await;
    let id = env.api.apply_for_credit(&applicant.body()).await;
    let waiting = env.api.wait_credit_waiting(&id).await;
    assert_eq!(waiting["status"], "waiting", "workflow {id}: {waiting}");
    assert_eq!(
        waiting["waiting_for"]["kind"], "savings_account_binding",
        "workflow {id}: {waiting}"
    );
    Waiting {
        applicant,
        id,
        card,
    }
}

/// A workflow's effects as `(operation, idempotency key)`, oldest first.
pub fn effects(ledger: &Ledger, id: &str) -> Vec<(String, String)> {
    ledger
        .of(id)
        .into_iter()
        .map(|e| (e.operation.clone(), e.idempotency_key.clone()))
        .collect()
}

/// `(operation, "{id}:{step}")` pairs, for comparing with [`effects`].
pub fn expected_effects(id: &str, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(op, step)| ((*op).to_owned(), format!("{id}:{step}")))
        .collect()
}

/// The credit limit amount of a completed workflow, e.g. `"2200.00"`.
#[track_caller]
pub fn limit_amount(workflow: &Value) -> String {
    assert_eq!(
        workflow["result"]["credit_limit"]["currency"], "CNY",
        "{workflow}"
    );
    str_at(workflow, &["result", "credit_limit", "amount"])
}

/// The error code of a final workflow.
pub fn error_code(workflow: &Value) -> Option<&str> {
    workflow["error"]["code"].as_str()
}

/// Asserts that the sandbox ledger holds no effect at all; `what` explains a failure.
pub async fn assert_no_effects(env: &TestEnv, what: &str) {
    let ledger = env.sandbox.ledger().await;
    assert!(ledger.effects.is_empty(), "{what}: {:?}", ledger.effects);
}
