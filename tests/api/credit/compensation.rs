//! The credit application's undone endings: no card before the deadline, and the
//! bank refusing the credit account after (or without) a binding by the saga.

use onboard_tests::{binding, card_number, TestEnvBuilder};

use super::{applicant, assert_no_effects, effects, error_code, expected_effects, start_waiting};
use crate::flows::{assert_step, str_at};

#[tokio::test(flavor = "multi_thread")]
async fn no_card_before_the_deadline_compensates_with_savings_binding_timeout() {
    let env = TestEnvBuilder::redis()
        .savings_binding_ttl_secs(2)
        .env("ONBOARD_TIMERS__POLL_INTERVAL_MS", 100)
        .start()
        .await;
    let flow = start_waiting(&env, None).await;

    let done = env.api.wait_credit_final(&flow.id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert_eq!(error_code(&done), Some("savings_binding_timeout"), "{done}");
    assert!(done["waiting_for"].is_null(), "{done}");
    assert_step(&done, "savings_account_binding", "failed");

    env.api
        .supply_savings_card(&flow.id, &flow.card)
        .await
        .expect_problem(409, "invalid_state", "a card after the deadline");
    let after = env.api.credit_application(&flow.id).await;
    assert_eq!(after["status"], "compensated", "{after}");
    assert_no_effects(&env, "a timed-out application caused effects").await;
    let credit = env
        .sandbox
        .bank_person(&flow.applicant.person.id_number)
        .await;
    assert_eq!(
        credit["credit_accounts"].as_array().map(Vec::len),
        Some(0),
        "{credit}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_credit_account_unbinds_the_card_the_saga_bound() {
    let env = TestEnvBuilder::redis().start().await;
    let flow = start_waiting(&env, None).await;
    env.sandbox
        .inject_fault("bank", "create_credit_account", "decline", 1, None)
        .await;

    let reply = env.api.supply_savings_card(&flow.id, &flow.card).await;
    reply.expect_status(200, "supplying a card whose credit account is refused");
    let done = env.api.wait_credit_final(&flow.id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert_eq!(error_code(&done), Some("credit_creation_refused"), "{done}");
    assert_step(&done, "bind_savings_card_1", "compensated");

    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        effects(&ledger, &flow.id),
        expected_effects(
            &flow.id,
            &[
                ("bind_savings_card", "bind_savings_card_1"),
                ("unbind_card", "unbind_savings_card"),
            ]
        ),
    );
    let bound = ledger.subject(&flow.id, "bind_savings_card").unwrap();
    assert_eq!(
        ledger.subject(&flow.id, "unbind_card"),
        Some(bound.clone()),
        "unbound another binding than the one bound"
    );
    let held = env
        .sandbox
        .wallet_person(&flow.applicant.person.id_number)
        .await;
    assert_eq!(
        binding(&held, &bound).map(|b| b["status"].clone()),
        Some("removed".into()),
        "{held}"
    );
    let active = env
        .sandbox
        .credit_accounts(&flow.applicant.person.id_number, "active")
        .await;
    assert!(active.is_empty(), "{active:?}");
    env.api
        .supply_savings_card(&flow.id, &flow.card)
        .await
        .expect_problem(409, "invalid_state", "a card after compensation");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_credit_account_leaves_a_pre_existing_binding_alone() {
    let env = TestEnvBuilder::redis().start().await;
    let card = card_number();
    let applicant = applicant(&env, None, Some(&card)).await;
    let held = env.sandbox.wallet_person(&applicant.person.id_number).await;
    let prebound = str_at(&held["accounts"][0]["bindings"][0], &["binding_id"]);
    env.sandbox
        .inject_fault("bank", "create_credit_account", "decline", 1, None)
        .await;

    let id = env.api.apply_for_credit(&applicant.body()).await;
    let done = env.api.wait_credit_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert_eq!(error_code(&done), Some("credit_creation_refused"), "{done}");

    assert_no_effects(&env, "expected no effect (the binding was not the saga's)").await;
    let held = env.sandbox.wallet_person(&applicant.person.id_number).await;
    assert_eq!(
        binding(&held, &prebound).map(|b| b["status"].clone()),
        Some("active".into()),
        "the pre-existing binding was touched: {held}"
    );
    let active = env
        .sandbox
        .credit_accounts(&applicant.person.id_number, "active")
        .await;
    assert!(active.is_empty(), "{active:?}");
}
