use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{credit_application, history, person, TestSandbox, ID_NUMBER, SAVINGS_CARD};

#[actix_rt::test]
async fn every_credit_operation_takes_injected_errors_and_declines() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut user = person();
    user["savings_card_number"] = json!(SAVINGS_CARD);
    let account = app.create_user(user).await;
    let savings = app.accounts(ID_NUMBER).await[0]["bindings"][0]["binding_id"].clone();
    app.post(
        "/sandbox/wallet/unbind_card",
        Some("unbind"),
        json!({ "binding_id": savings }),
    )
    .await;
    let created = app.create_credit_account("setup", history(0, 0, "0")).await;
    let close = json!({ "credit_account_id": created["credit_account_id"] });
    let calls = [
        (
            "wallet",
            "real_name_record",
            json!({ "payment_account_id": account }),
        ),
        (
            "wallet",
            "savings_status",
            json!({ "payment_account_id": account }),
        ),
        (
            "wallet",
            "bind_savings_card",
            json!({ "payment_account_id": account, "card_number": SAVINGS_CARD }),
        ),
        (
            "bank",
            "verify_savings_card",
            json!({ "card_number": SAVINGS_CARD, "id_number": ID_NUMBER }),
        ),
        (
            "bank",
            "credit_account_lookup",
            json!({ "name": "Li Lei", "id_number": ID_NUMBER }),
        ),
        ("bank", "close_credit_account", close),
        (
            "bank",
            "create_credit_account",
            credit_application(history(0, 0, "0")),
        ),
    ];
    for (party, operation, body) in calls {
        let path = format!("/sandbox/{party}/{operation}");
        let key = format!("{operation}-key");
        for (mode, status, code) in [
            ("error", StatusCode::SERVICE_UNAVAILABLE, "injected_error"),
            ("decline", StatusCode::UNPROCESSABLE_ENTITY, "declined"),
        ] {
            app.inject(json!({ "party": party, "operation": operation, "mode": mode, "times": 1 }))
                .await;
            let before = app.ledger().await.len();
            let (got, reply) = app.post(&path, Some(&key), body.clone()).await;
            assert_eq!((got, &reply["code"]), (status, &json!(code)), "{operation}");
            assert_eq!(app.ledger().await.len(), before, "{operation}");
        }
        let (got, reply) = app.post(&path, Some(&key), body).await;
        assert_eq!(got, StatusCode::OK, "{operation}: {reply}");
    }
    let operations: Vec<_> = app
        .ledger()
        .await
        .iter()
        .map(|effect| effect["operation"].clone())
        .collect();
    assert_eq!(
        operations,
        [
            "unbind_card",
            "create_credit_account",
            "bind_savings_card",
            "close_credit_account",
            "create_credit_account"
        ]
    );
}

#[actix_rt::test]
async fn a_timeout_creates_the_credit_account_once() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(json!({
        "party": "bank", "operation": "create_credit_account",
        "mode": "timeout", "times": 1, "delay_ms": 50
    }))
    .await;

    let started = Instant::now();
    let first = app
        .create_credit_account("slow", history(3, 3, "100"))
        .await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    let retried = app
        .create_credit_account("slow", history(3, 3, "100"))
        .await;

    assert_eq!(first, retried);
    assert_eq!(app.ledger().await.len(), 1);
    assert_eq!(app.credit_accounts(ID_NUMBER).await.len(), 1);
}

#[actix_rt::test]
async fn a_timeout_binds_the_savings_card_once() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.create_user(person()).await;
    app.inject(json!({
        "party": "wallet", "operation": "bind_savings_card",
        "mode": "timeout", "times": 1, "delay_ms": 50
    }))
    .await;

    let started = Instant::now();
    let first = app.bind_savings("slow", &account).await;
    assert!(started.elapsed() >= Duration::from_millis(50));

    assert_eq!(app.bind_savings("slow", &account).await, first);
    assert_eq!(app.ledger().await.len(), 1);
    assert_eq!(
        app.accounts(ID_NUMBER).await[0]["bindings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[actix_rt::test]
async fn new_operations_belong_to_their_party() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    for (party, operation) in [
        ("bank", "real_name_record"),
        ("bank", "bind_savings_card"),
        ("wallet", "verify_savings_card"),
        ("wallet", "close_credit_account"),
    ] {
        let fault = json!({ "party": party, "operation": operation, "mode": "error", "times": 1 });
        let (status, _) = app.post("/sandbox/faults", None, fault).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{operation}");
    }
}
