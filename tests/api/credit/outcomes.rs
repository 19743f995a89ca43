//! The credit application's successful endings: an existing credit account, a
//! savings card already bound, and a savings card supplied while waiting.

use onboard_tests::{binding, card_number, counts, history, TestEnvBuilder, CREDIT_APPLICATIONS};

use super::{applicant, assert_no_effects, effects, expected_effects, limit_amount, start_waiting};
use crate::flows::{assert_step, step_status, str_at};

#[tokio::test(flavor = "multi_thread")]
async fn a_person_holding_a_credit_account_gets_it_back_without_effects() {
    let env = TestEnvBuilder::redis().start().await;
    let applicant = applicant(&env, None, None).await;
    env.sandbox
        .create_bank_customer(&applicant.person, true)
        .await;
    let held = env
        .sandbox
        .credit_accounts(&applicant.person.id_number, "active")
        .await;
    assert_eq!(held.len(), 1, "bank fixture: {held:?}");
    let existing = str_at(&held[0], &["credit_account_id"]);

    let reply = env.api.apply_for_credit_reply(&applicant.body()).await;
    reply.expect_status(202, "POST /v1/credit-applications");
    let id = str_at(&reply.body, &["id"]);
    assert!(
        id.starts_with("ca_"),
        "workflow id {id:?} does not start with ca_"
    );
    assert_eq!(
        reply.header("location"),
        Some(format!("{CREDIT_APPLICATIONS}/{id}").as_str()),
        "{:?}",
        reply.headers
    );
    assert_eq!(
        reply.body["kind"], "virtual_credit_account",
        "{}",
        reply.text
    );

    let done = env.api.wait_credit_final(&id).await;
    assert_eq!(done["status"], "completed", "{done}");
    let result = &done["result"];
    assert_eq!(result["created"], false, "{done}");
    assert_eq!(result["credit_account_id"], existing.as_str(), "{done}");
    assert_eq!(result["credit_limit"], held[0]["credit_limit"], "{done}");
    assert!(result["savings_binding_id"].is_null(), "{done}");
    assert!(done["error"].is_null(), "{done}");
    assert_step(&done, "create_credit_account", "skipped");

    assert_no_effects(&env, "a person with a credit account caused effects").await;
    let after = env.sandbox.bank_person(&applicant.person.id_number).await;
    assert_eq!(
        after["credit_accounts"].as_array().map(Vec::len),
        Some(1),
        "the bank opened another credit account: {after}"
    );
}

/// Applies for a person whose wallet account has a savings card bound, and checks
/// the credit account the bank opened against that binding.
async fn check_prebound(
    env: &onboard_tests::TestEnv,
    history: Option<&serde_json::Value>,
    expected_limit: &str,
) {
    let card = card_number();
    let applicant = applicant(env, history, Some(&card)).await;
    let person = &applicant.person;
    let held = env.sandbox.wallet_person(&person.id_number).await;
    let savings: Vec<_> = held["accounts"][0]["bindings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["kind"] == "savings" && b["status"] == "active")
        .collect();
    assert_eq!(savings.len(), 1, "fixture savings binding: {held}");
    let prebound = str_at(savings[0], &["binding_id"]);

    let id = env.api.apply_for_credit(&applicant.body()).await;
    let done = env.api.wait_credit_final(&id).await;
    let what = format!("history {history:?}");
    assert_eq!(done["status"], "completed", "{what}: {done}");
    assert_eq!(done["result"]["created"], true, "{what}: {done}");
    assert_eq!(
        done["result"]["savings_binding_id"],
        prebound.as_str(),
        "{what}: {done}"
    );
    assert_eq!(limit_amount(&done), expected_limit, "{what}: {done}");
    assert_eq!(
        step_status(&done, "savings_account_binding").as_deref(),
        Some("skipped"),
        "{what}: steps {}",
        done["steps"]
    );

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        effects(&ledger, &id),
        expected_effects(&id, &[("create_credit_account", "create_credit_account")]),
        "{what}"
    );
    let credit_account_id = str_at(&done, &["result", "credit_account_id"]);
    assert!(
        credit_account_id.starts_with("cr_") && credit_account_id != id,
        "{what}: a credit account is not named like its application: {credit_account_id}"
    );
    assert_eq!(
        ledger.subject(&id, "create_credit_account").as_deref(),
        Some(credit_account_id.as_str())
    );
    let active = env
        .sandbox
        .credit_accounts(&person.id_number, "active")
        .await;
    assert_eq!(active.len(), 1, "{what}: bank holds {active:?}");
    assert_eq!(active[0]["credit_account_id"], credit_account_id.as_str());
    assert_eq!(
        active[0]["credit_limit"], done["result"]["credit_limit"],
        "{what}: the bank's limit differs from the result"
    );
    let held = env.sandbox.wallet_person(&person.id_number).await;
    assert_eq!(
        binding(&held, &prebound).map(|b| b["status"].clone()),
        Some("active".into()),
        "{what}: {held}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bound_savings_card_gets_a_credit_account_with_the_limit_the_history_earns() {
    let env = TestEnvBuilder::redis().start().await;
    // (500 + 100 × 12 + 10% of 5000) × 1.0 = 2200.
    check_prebound(&env, Some(&history(12, 40, "5000.00")), "2200.00").await;
    // (500 + 100 × 10 + 0) × 0.5 = 750: fewer than 3 payments.
    check_prebound(&env, Some(&history(10, 2, "0.00")), "750.00").await;
    // (500 + 100 × 3 + 123.45) × 0.8 = 738.76, rounded down to whole yuan.
    check_prebound(&env, Some(&history(3, 5, "1234.50")), "738.00").await;
    // Months count up to 24, the volume share up to 20,000: (500 + 2400 + 20000) × 1.0.
    check_prebound(&env, Some(&history(30, 12, "250000.00")), "22900.00").await;
    // No history reads as zeros: 500 × 0.5.
    check_prebound(&env, None, "250.00").await;
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.effects.len(),
        5,
        "expected one create_credit_account per application: {:?}",
        ledger.effects
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_waiting_application_completes_once_a_savings_card_is_supplied() {
    let env = TestEnvBuilder::redis().start().await;
    let flow = start_waiting(&env, Some(&history(12, 40, "5000.00"))).await;
    let waiting = env.api.credit_application(&flow.id).await;
    assert!(
        waiting["waiting_for"]["deadline"].is_string(),
        "no deadline: {waiting}"
    );
    assert!(
        waiting["waiting_for"]["last_rejection"].is_null(),
        "{waiting}"
    );
    assert!(env.sandbox.ledger().await.effects.is_empty());

    let reply = env
        .api
        .try_supply_savings_card(&flow.id, &flow.card, Some("supply-1"))
        .await
        .expect("POST savings-account transport");
    reply.expect_status(200, "POST savings-account");
    assert_eq!(reply.body["id"], flow.id.as_str(), "{}", reply.text);
    let done = env.api.wait_credit_final(&flow.id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["created"], true, "{done}");
    assert_eq!(limit_amount(&done), "2200.00", "{done}");
    assert!(done["waiting_for"].is_null(), "{done}");

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        effects(&ledger, &flow.id),
        expected_effects(
            &flow.id,
            &[
                ("bind_savings_card", "bind_savings_card_1"),
                ("create_credit_account", "create_credit_account"),
            ]
        ),
    );
    let bound = ledger
        .subject(&flow.id, "bind_savings_card")
        .expect("bound");
    assert_eq!(
        done["result"]["savings_binding_id"],
        bound.as_str(),
        "{done}"
    );
    let held = env
        .sandbox
        .wallet_person(&flow.applicant.person.id_number)
        .await;
    let b = binding(&held, &bound).unwrap_or_else(|| panic!("no binding {bound}: {held}"));
    assert_eq!(b["kind"], "savings", "{held}");
    assert_eq!(b["status"], "active", "{held}");
    assert_eq!(b["card_last4"], &flow.card[flow.card.len() - 4..], "{held}");
    let active = env
        .sandbox
        .credit_accounts(&flow.applicant.person.id_number, "active")
        .await;
    assert_eq!(active.len(), 1, "{active:?}");
    assert_eq!(
        active[0]["credit_account_id"],
        done["result"]["credit_account_id"]
    );

    // The same key and card replay the answer; a new request finds nothing to wait for.
    let replay = env
        .api
        .try_supply_savings_card(&flow.id, &flow.card, Some("supply-1"))
        .await
        .expect("replay transport");
    replay.expect_status(200, "replayed POST savings-account");
    env.api
        .supply_savings_card(&flow.id, &flow.card)
        .await
        .expect_problem(409, "invalid_state", "card for a completed application");
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.summary(&flow.id),
        counts(&[("bind_savings_card", 1), ("create_credit_account", 1)]),
        "{:?}",
        ledger.of(&flow.id)
    );
}
