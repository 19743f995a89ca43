use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{person, TestSandbox};

#[actix_rt::test]
async fn a_replay_answers_the_same_and_adds_no_ledger_entry() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;

    let first = app.register("wf1:register").await;
    let again = app.register("wf1:register").await;

    assert_eq!(first, again);
    let ledger = app.ledger().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["party"], "wallet");
    assert_eq!(ledger[0]["operation"], "register_account");
    assert_eq!(ledger[0]["idempotency_key"], "wf1:register");
    assert_eq!(ledger[0]["subject"], first.as_str());
    assert_eq!(app.accounts(crate::helpers::ID_NUMBER).await.len(), 1);
}

#[actix_rt::test]
async fn a_key_reused_with_another_body_is_rejected() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    app.register("k1").await;

    let mut other = person();
    other["phone"] = json!("+8613900000000");
    let (status, body) = app
        .post("/sandbox/wallet/register_account", Some("k1"), other)
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "idempotency_key_reused");
    assert_eq!(app.ledger().await.len(), 1);
}

#[actix_rt::test]
async fn effects_require_a_valid_key() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;

    let (status, body) = app
        .post("/sandbox/wallet/register_account", None, person())
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "idempotency_key_missing");

    let (status, body) = app
        .post(
            "/sandbox/wallet/register_account",
            Some("has space"),
            person(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "idempotency_key_invalid");
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn keys_are_scoped_per_operation() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;

    let account = app.register("same-key").await;
    app.bind("same-key", &account).await;

    assert_eq!(app.ledger().await.len(), 2);
}

#[actix_rt::test]
async fn concurrent_duplicates_apply_once() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;

    let (a, b, c) = tokio::join!(
        app.register("dup"),
        app.register("dup"),
        app.register("dup")
    );

    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(app.ledger().await.len(), 1);
}
