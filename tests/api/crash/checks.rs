//! What must hold after the crash test: every saga final and consistent with
//! what the parties hold, nothing done twice, nothing left half-done.

use onboard_tests::{account, binding, Api, Ledger, SandboxClient};
use serde_json::Value;

use super::workload::{Decision, Kind, Saga};
use super::FLOW;
use crate::chaos::checks;

const EFFECTS: [&str; 4] = [
    "register_account",
    "bind_card",
    "close_account",
    "unbind_card",
];

/// Every violated invariant, one line each.
pub async fn verify(api: &Api, sandbox: &SandboxClient, sagas: &[Saga]) -> Vec<String> {
    let ledger = sandbox.ledger().await;
    let mut violations = Vec::new();
    for (i, saga, id, outcome) in checks::finished(&FLOW, sagas, &mut violations) {
        let held = sandbox.wallet_person(&saga.person.id_number).await;
        let mut out = Vec::new();
        check_saga(saga, id, outcome, &ledger, &held, &mut out);
        violations.extend(checks::tagged(&FLOW, i, saga, id, out));
    }
    violations.extend(checks::check_store(api, &FLOW, &ledger, sagas).await);
    violations
}

fn check_saga(
    saga: &Saga,
    id: &str,
    outcome: &Value,
    ledger: &Ledger,
    held: &Value,
    out: &mut Vec<String>,
) {
    let status = outcome["status"].as_str().unwrap_or("?");
    let error = outcome["error"]["code"].as_str();
    let summary = ledger.summary(id);
    for operation in EFFECTS {
        if ledger.count(id, operation) > 1 {
            out.push(format!("{operation} applied more than once: {summary:?}"));
        }
    }
    let registered = ledger.subject(id, "register_account");
    let bound = ledger.subject(id, "bind_card");
    let closed = ledger.subject(id, "close_account");
    let unbound = ledger.subject(id, "unbind_card");
    let accounts = held["accounts"].as_array().map(Vec::len).unwrap_or(0);
    let expected_accounts = usize::from(saga.existed()) + usize::from(registered.is_some());
    if accounts != expected_accounts {
        out.push(format!(
            "the wallet holds {accounts} accounts for the person, expected {expected_accounts}: {held}"
        ));
    }
    if saga.existed() && registered.is_some() {
        out.push(format!(
            "registered an account for a person who had one: {summary:?}"
        ));
    }
    if closed.is_some() && closed != registered {
        out.push(format!(
            "closed {closed:?}, which it did not register ({registered:?})"
        ));
    }
    if unbound.is_some() && unbound != bound {
        out.push(format!(
            "unbound {unbound:?}, which it did not bind ({bound:?})"
        ));
    }
    match status {
        "completed" => {
            if closed.is_some() || unbound.is_some() {
                out.push(format!("completed with compensations: {summary:?}"));
            }
            let result = &outcome["result"];
            match &bound {
                None => out.push(format!("completed without a bind_card effect: {summary:?}")),
                Some(b) => {
                    if result["binding_id"] != b.as_str() {
                        out.push(format!("result.binding_id != bound {b}: {result}"));
                    }
                    expect_field(held, binding(held, b), "active", "binding", b, out);
                    let last4 = &saga.card[saga.card.len() - 4..];
                    if binding(held, b).is_some_and(|x| x["card_last4"] != last4) {
                        out.push(format!("binding {b} is not of card …{last4}: {held}"));
                    }
                }
            }
            if result["account_created"] != registered.is_some() {
                out.push(format!(
                    "result.account_created disagrees with the ledger {summary:?}: {result}"
                ));
            }
            let account_id = registered.clone().or(saga.fixture_account.clone());
            if let Some(a) = &account_id {
                if result["payment_account_id"] != a.as_str() {
                    out.push(format!("result.payment_account_id != {a}: {result}"));
                }
                expect_field(held, account(held, a), "open", "account", a, out);
            }
        }
        "compensated" => {
            if let Some(b) = &bound {
                if unbound.is_none() {
                    out.push(format!("compensated without unbinding {b}: {summary:?}"));
                }
                expect_field(held, binding(held, b), "removed", "binding", b, out);
            }
            if let Some(a) = &registered {
                if closed.is_none() {
                    out.push(format!("compensated without closing {a}: {summary:?}"));
                }
                expect_field(held, account(held, a), "closed", "account", a, out);
            }
        }
        other => out.push(format!("ended {other} (error {error:?}): {outcome}")),
    }
    if let Some(a) = &saga.fixture_account {
        expect_field(
            held,
            account(held, a),
            "open",
            "pre-existing account",
            a,
            out,
        );
    }
    // Outcomes the plan fixes whatever the crashes and faults did.
    match saga.kind {
        Kind::Declined { .. } if status != "compensated" || error != Some("card_declined") => {
            out.push(format!("a declined card ended {status} {error:?}"));
        }
        Kind::NewPerson(Decision::Reject | Decision::Timeout) if status != "compensated" => {
            out.push(format!("a rejected or unanswered prompt ended {status}"));
        }
        _ => {}
    }
}

fn expect_field(
    held: &Value,
    item: Option<&Value>,
    expected: &str,
    what: &str,
    id: &str,
    out: &mut Vec<String>,
) {
    match item {
        None => out.push(format!("the wallet has no {what} {id}: {held}")),
        Some(item) if item["status"] != expected => out.push(format!(
            "{what} {id} is {}, expected {expected}",
            item["status"]
        )),
        Some(_) => {}
    }
}
