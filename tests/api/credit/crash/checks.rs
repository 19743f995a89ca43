//! What must hold after the credit crash test: every application final and
//! consistent with what the wallet and the bank hold, no effect twice, no
//! binding of the saga left behind a compensated application, no pre-existing
//! binding touched.

use std::collections::BTreeMap;

use onboard_tests::{account, binding, Api, Ledger, SandboxClient};
use serde_json::Value;

use super::workload::{Application, Kind};
use super::FLOW;
use crate::chaos::checks;

/// The effects a credit application may cause.
const EFFECTS: [&str; 3] = ["bind_savings_card", "create_credit_account", "unbind_card"];

/// Every violated invariant, one line each.
pub async fn verify(
    api: &Api,
    sandbox: &SandboxClient,
    apps: &[Application],
    decline_injected: bool,
) -> Vec<String> {
    let ledger = sandbox.ledger().await;
    let mut violations = Vec::new();
    let mut refused = 0;
    for (i, app, id, outcome) in checks::finished(&FLOW, apps, &mut violations) {
        if outcome["error"]["code"] == "credit_creation_refused" {
            refused += 1;
        }
        let wallet = sandbox.wallet_person(&app.person.id_number).await;
        let bank = sandbox.bank_person(&app.person.id_number).await;
        let mut out = Vec::new();
        check_application(app, id, outcome, &ledger, &wallet, &bank, &mut out);
        violations.extend(checks::tagged(&FLOW, i, app, id, out));
    }
    let allowed = usize::from(decline_injected);
    if refused > allowed {
        violations.push(format!(
            "{refused} applications ended credit_creation_refused, but {allowed} decline was injected"
        ));
    }
    violations.extend(checks::check_store(api, &FLOW, &ledger, apps).await);
    violations
}

fn check_application(
    app: &Application,
    id: &str,
    outcome: &Value,
    ledger: &Ledger,
    wallet: &Value,
    bank: &Value,
    out: &mut Vec<String>,
) {
    let status = outcome["status"].as_str().unwrap_or("?");
    let error = outcome["error"]["code"].as_str();
    let result = &outcome["result"];
    let summary = ledger.summary(id);
    for operation in summary.keys() {
        if !EFFECTS.contains(&operation.as_str()) {
            out.push(format!("unexpected effect {operation}: {summary:?}"));
        }
    }
    for operation in EFFECTS {
        if ledger.count(id, operation) > 1 {
            out.push(format!("{operation} applied more than once: {summary:?}"));
        }
    }
    let bound = ledger.subject(id, "bind_savings_card");
    let unbound = ledger.subject(id, "unbind_card");
    let created = ledger.subject(id, "create_credit_account");
    if unbound.is_some() && unbound != bound {
        out.push(format!(
            "unbound {unbound:?}, which it did not bind ({bound:?})"
        ));
    }
    let active_credit: Vec<&Value> = bank["credit_accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["status"] == "active")
        .collect();
    match (status, error) {
        ("completed", _) if result["created"] == true => {
            if bound.is_some() && unbound.is_some() {
                out.push(format!("completed with its binding undone: {summary:?}"));
            }
            match &created {
                None => out.push(format!(
                    "completed with created:true but no create_credit_account: {summary:?}"
                )),
                Some(c) if result["credit_account_id"] != c.as_str() => out.push(format!(
                    "result.credit_account_id is not the created {c}: {result}"
                )),
                Some(_) => {}
            }
            if active_credit.len() != 1
                || active_credit[0]["credit_account_id"] != result["credit_account_id"]
                || active_credit[0]["credit_limit"] != result["credit_limit"]
            {
                out.push(format!(
                    "the bank's active credit accounts disagree with the result {result}: {bank}"
                ));
            }
            let savings = result["savings_binding_id"].as_str().unwrap_or("");
            match binding(wallet, savings) {
                Some(b) if b["status"] == "active" && b["kind"] == "savings" => {}
                other => out.push(format!(
                    "result.savings_binding_id {savings:?} is no active savings binding: {other:?}"
                )),
            }
            if bound.is_some() && bound.as_deref() != Some(savings) {
                out.push(format!("bound {bound:?} but the result names {savings:?}"));
            }
        }
        ("completed", _) => {
            if !summary.is_empty() {
                out.push(format!(
                    "completed with created:false but effects: {summary:?}"
                ));
            }
        }
        ("compensated", _) => {
            if let Some(c) = &created {
                out.push(format!(
                    "compensated ({error:?}) but the bank created {c}{}: {summary:?}",
                    if error == Some("credit_creation_refused") {
                        " (the decline may have hit the replay of an applied call)"
                    } else {
                        ""
                    }
                ));
            }
            if let Some(b) = &bound {
                if unbound.is_none() {
                    out.push(format!("compensated without unbinding {b}: {summary:?}"));
                }
                match binding(wallet, b) {
                    Some(x) if x["status"] == "removed" => {}
                    other => out.push(format!("binding {b} was not removed: {other:?}")),
                }
            }
            if app.kind != Kind::ExistingCredit && !active_credit.is_empty() {
                out.push(format!("compensated, yet the bank holds {active_credit:?}"));
            }
        }
        _ => out.push(format!("ended {status} (error {error:?}): {outcome}")),
    }
    match account(wallet, &app.payment_account_id) {
        Some(a) if a["status"] == "open" => {}
        other => out.push(format!(
            "the wallet account {} is not open: {other:?}",
            app.payment_account_id
        )),
    }
    check_kind(app, status, error, result, &summary, wallet, bank, out);
}

/// Outcomes the plan fixes whatever the crashes and faults did.
#[allow(clippy::too_many_arguments)]
fn check_kind(
    app: &Application,
    status: &str,
    error: Option<&str>,
    result: &Value,
    summary: &BTreeMap<String, usize>,
    wallet: &Value,
    bank: &Value,
    out: &mut Vec<String>,
) {
    let effects =
        |ops: &[&str]| -> bool { summary.keys().map(String::as_str).eq(ops.iter().copied()) };
    match app.kind {
        Kind::ExistingCredit => {
            let existing = app
                .existing_credit
                .as_ref()
                .expect("fixture credit account");
            if status != "completed"
                || result["created"] != false
                || result["credit_account_id"] != existing["credit_account_id"]
                || !result["savings_binding_id"].is_null()
            {
                out.push(format!(
                    "expected completed with the existing {existing}, got {status} {error:?} {result}"
                ));
            }
            if bank["credit_accounts"].as_array().map(Vec::len) != Some(1) {
                out.push(format!("the bank holds other credit accounts: {bank}"));
            }
        }
        Kind::PreBound => {
            let prebound = app.prebound_binding.as_deref().expect("fixture binding");
            let fine = match (status, error) {
                ("completed", _) => {
                    result["created"] == true
                        && result["savings_binding_id"] == prebound
                        && effects(&["create_credit_account"])
                }
                ("compensated", Some("credit_creation_refused")) => effects(&[]),
                _ => false,
            };
            if !fine {
                out.push(format!(
                    "expected completed on {prebound} or refused without effects, got {status} {error:?} {result} {summary:?}"
                ));
            }
            match binding(wallet, prebound) {
                Some(b) if b["status"] == "active" => {}
                other => out.push(format!(
                    "the pre-existing binding {prebound} is not active: {other:?}"
                )),
            }
        }
        Kind::SupplyCard => {
            let fine = match (status, error) {
                ("completed", _) => {
                    result["created"] == true
                        && effects(&["bind_savings_card", "create_credit_account"])
                }
                ("compensated", Some("savings_binding_timeout")) => effects(&[]),
                ("compensated", Some("credit_creation_refused")) => {
                    effects(&["bind_savings_card", "unbind_card"])
                }
                _ => false,
            };
            if !fine {
                out.push(format!(
                    "unexpected ending {status} {error:?} {result} with effects {summary:?}"
                ));
            }
            if status == "completed" {
                let card = app.card.as_deref().expect("supplied card");
                let savings = result["savings_binding_id"].as_str().unwrap_or("");
                if binding(wallet, savings)
                    .is_none_or(|b| b["card_last4"] != card[card.len() - 4..])
                {
                    out.push(format!(
                        "binding {savings} is not of the supplied card: {wallet}"
                    ));
                }
            }
        }
        Kind::LeftToTimeOut => {
            if status != "compensated" || error != Some("savings_binding_timeout") || !effects(&[])
            {
                out.push(format!(
                    "expected savings_binding_timeout without effects, got {status} {error:?} {summary:?}"
                ));
            }
        }
    }
}
