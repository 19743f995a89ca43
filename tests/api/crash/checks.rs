//! What must hold after the crash test: every saga final and consistent with
//! what the parties hold, nothing done twice, nothing left half-done.

use std::collections::BTreeMap;

use onboard_tests::{account, binding, Api, Ledger, SandboxClient, OPERATOR_KEY};
use reqwest::Method;
use serde_json::Value;

use super::workload::{Decision, Kind, Saga};

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
    for (i, saga) in sagas.iter().enumerate() {
        let Some(id) = &saga.id else {
            violations.push(format!("saga {i} ({:?}) was never accepted", saga.kind));
            continue;
        };
        let Some(outcome) = &saga.outcome else {
            violations.push(format!(
                "saga {i} {id} ({:?}) never became final",
                saga.kind
            ));
            continue;
        };
        let held = sandbox.wallet_person(&saga.person.id_number).await;
        let mut out = Vec::new();
        check_saga(saga, id, outcome, &ledger, &held, &mut out);
        violations.extend(
            out.into_iter()
                .map(|v| format!("saga {i} {id} ({:?}): {v}", saga.kind)),
        );
    }
    let known: Vec<&str> = sagas.iter().filter_map(|s| s.id.as_deref()).collect();
    for workflow in ledger.workflow_ids() {
        if !known.contains(&workflow.as_str()) {
            violations.push(format!(
                "the ledger holds effects of unknown workflow {workflow} (a duplicate saga?): {:?}",
                ledger.summary(&workflow)
            ));
        }
    }
    violations.extend(check_listing(api, &known).await);
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

/// The operator listing shows exactly the accepted sagas (no duplicates).
async fn check_listing(api: &Api, known: &[&str]) -> Vec<String> {
    let reply = api
        .send(
            Method::GET,
            "/v1/admin/workflows?kind=payment_account_registration&limit=1000",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    if reply.status != 200 {
        return vec![format!(
            "admin listing answered {} {}",
            reply.status, reply.text
        )];
    }
    let listed: Vec<String> = reply.body["workflows"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|w| w["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut violations = Vec::new();
    for id in &listed {
        if !known.contains(&id.as_str()) {
            violations.push(format!(
                "the store holds unknown workflow {id} (a duplicate saga?)"
            ));
        }
    }
    if listed.len() != known.len() {
        violations.push(format!(
            "the operator listing shows {} workflows, {} were accepted",
            listed.len(),
            known.len()
        ));
    }
    violations
}

/// Outcome counts per kind, for the test's output.
pub fn outcome_table(sagas: &[Saga]) -> BTreeMap<String, usize> {
    let mut table = BTreeMap::new();
    for saga in sagas {
        let outcome = saga.outcome.as_ref();
        let status = outcome
            .and_then(|o| o["status"].as_str())
            .unwrap_or("unfinished");
        let error = outcome
            .and_then(|o| o["error"]["code"].as_str())
            .unwrap_or("-");
        *table
            .entry(format!("{:?} -> {status} {error}", saga.kind))
            .or_insert(0) += 1;
    }
    table
}
