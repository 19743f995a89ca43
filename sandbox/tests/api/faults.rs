use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{person, TestSandbox, CARD, ID_NUMBER};

#[actix_rt::test]
async fn an_injected_error_applies_nothing_until_the_faults_are_used_up() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(
        json!({"party": "wallet", "operation": "register_account", "mode": "error", "times": 2}),
    )
    .await;

    for _ in 0..2 {
        let (status, body) = app
            .post("/sandbox/wallet/register_account", Some("k"), person())
            .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body["code"], "injected_error");
    }
    assert!(app.ledger().await.is_empty());
    assert!(app.accounts(ID_NUMBER).await.is_empty());

    app.register("k").await;
    assert_eq!(app.ledger().await.len(), 1);
}

#[actix_rt::test]
async fn a_decline_applies_nothing() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    app.inject(json!({"party": "wallet", "operation": "bind_card", "mode": "decline", "times": 1}))
        .await;

    let body = json!({ "payment_account_id": account, "card_number": CARD });
    let (status, reply) = app
        .post("/sandbox/wallet/bind_card", Some("bind"), body)
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply["code"], "declined");
    assert_eq!(app.ledger().await.len(), 1);
    assert_eq!(app.accounts(ID_NUMBER).await[0]["bindings"], json!([]));
}

#[actix_rt::test]
async fn a_timeout_applies_the_effect_and_delays_the_answer() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(json!({
        "party": "wallet", "operation": "register_account",
        "mode": "timeout", "times": 1, "delay_ms": 50
    }))
    .await;

    let started = Instant::now();
    let first = app.register("slow").await;
    assert!(started.elapsed() >= Duration::from_millis(50));
    assert_eq!(app.ledger().await.len(), 1);

    let retried = app.register("slow").await;
    assert_eq!(first, retried);
    assert_eq!(app.ledger().await.len(), 1);
}

#[actix_rt::test]
async fn faults_stack_and_reach_queries_too() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let fault =
        |mode| json!({"party": "bank", "operation": "verify_card", "mode": mode, "times": 1});
    app.inject(fault("error")).await;
    app.inject(fault("decline")).await;
    let verify = || {
        app.post(
            "/sandbox/bank/verify_card",
            None,
            json!({ "card_number": CARD, "id_number": ID_NUMBER }),
        )
    };

    assert_eq!(verify().await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(verify().await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        verify().await,
        (StatusCode::OK, json!({ "verified": true }))
    );
}

#[actix_rt::test]
async fn unknown_faults_are_rejected() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let bad = [
        json!({"party": "shop", "operation": "bind_card", "mode": "error", "times": 1}),
        json!({"party": "wallet", "operation": "fly", "mode": "error", "times": 1}),
        json!({"party": "wallet", "operation": "bind_card", "mode": "explode", "times": 1}),
        json!({"party": "bank", "operation": "bind_card", "mode": "error", "times": 1}),
        json!({"party": "wallet", "operation": "bind_card", "mode": "error", "times": 0}),
    ];
    for fault in bad {
        let (status, body) = app.post("/sandbox/faults", None, fault).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "validation_failed");
    }
    let later =
        json!({"party": "bank", "operation": "create_credit_account", "mode": "error", "times": 1});
    app.inject(later).await;
}

#[actix_rt::test]
async fn a_retry_of_an_applied_call_is_replayed_before_any_fault() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    let body = json!({ "payment_account_id": account, "card_number": CARD });
    let (status, first) = app
        .post("/sandbox/wallet/bind_card", Some("bind"), body.clone())
        .await;
    assert_eq!(status, StatusCode::OK);
    app.inject(json!({"party": "wallet", "operation": "bind_card", "mode": "decline", "times": 1}))
        .await;

    let (status, replayed) = app
        .post("/sandbox/wallet/bind_card", Some("bind"), body.clone())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replayed, first);

    let (status, fresh) = app
        .post("/sandbox/wallet/bind_card", Some("bind-2"), body)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fresh["code"], "declined");
}

#[actix_rt::test]
async fn in_progress_applies_the_effect_and_the_retry_gets_its_answer() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(json!({
        "party": "wallet", "operation": "register_account", "mode": "in_progress", "times": 1
    }))
    .await;

    let (status, body) = app
        .post("/sandbox/wallet/register_account", Some("k"), person())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "request_in_progress");
    assert_eq!(app.ledger().await.len(), 1, "the effect was applied");

    let account = app.register("k").await;
    assert_eq!(app.accounts(ID_NUMBER).await.len(), 1);
    assert_eq!(
        app.accounts(ID_NUMBER).await[0]["payment_account_id"],
        account
    );
    assert_eq!(app.ledger().await.len(), 1, "the retry was a replay");
}

#[actix_rt::test]
async fn garbled_applies_the_effect_and_answers_a_body_that_is_not_json() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    app.inject(json!({"party": "wallet", "operation": "bind_card", "mode": "garbled", "times": 1}))
        .await;
    let body = json!({ "payment_account_id": account, "card_number": CARD });

    let (status, garbled) = app
        .post("/sandbox/wallet/bind_card", Some("bind"), body.clone())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(garbled.is_string(), "not the operation's JSON: {garbled}");
    assert_eq!(app.ledger().await.len(), 2, "the binding was applied");

    let (status, replayed) = app
        .post("/sandbox/wallet/bind_card", Some("bind"), body)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(replayed["binding_id"].is_string(), "{replayed}");
    assert_eq!(app.ledger().await.len(), 2);
}

#[actix_rt::test]
async fn unauthorized_applies_nothing() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(json!({
        "party": "wallet", "operation": "register_account", "mode": "unauthorized", "times": 1
    }))
    .await;

    let (status, body) = app
        .post("/sandbox/wallet/register_account", Some("k"), person())
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");
    assert!(app.ledger().await.is_empty());
    assert!(app.accounts(ID_NUMBER).await.is_empty());
}

#[actix_rt::test]
async fn deleting_the_faults_clears_every_queued_one() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.inject(json!({
        "party": "wallet", "operation": "register_account", "mode": "error", "times": 100
    }))
    .await;

    assert_eq!(app.delete("/sandbox/faults").await, StatusCode::NO_CONTENT);
    app.register("k").await;
    assert_eq!(app.ledger().await.len(), 1);
}
