use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{person, TestSandbox, ID_NUMBER};

#[actix_rt::test]
async fn a_saga_registers_binds_and_undoes_everything() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;

    let account = app.register("reg").await;
    let binding = app.bind("bind", &account).await;
    let unbind = json!({ "binding_id": binding });
    let close = json!({ "payment_account_id": account });
    for (path, key, body) in [
        ("/sandbox/wallet/unbind_card", "unbind", &unbind),
        ("/sandbox/wallet/unbind_card", "unbind-again", &unbind),
        ("/sandbox/wallet/close_account", "close", &close),
        ("/sandbox/wallet/close_account", "close-again", &close),
    ] {
        let (status, reply) = app.post(path, Some(key), body.clone()).await;
        assert_eq!((status, reply), (StatusCode::OK, json!({})));
    }

    let operations: Vec<_> = app
        .ledger()
        .await
        .iter()
        .map(|effect| (effect["operation"].clone(), effect["subject"].clone()))
        .collect();
    assert_eq!(
        operations,
        [
            (json!("register_account"), json!(account)),
            (json!("bind_card"), json!(binding)),
            (json!("unbind_card"), json!(binding)),
            (json!("close_account"), json!(account)),
        ]
    );
    let accounts = app.accounts(ID_NUMBER).await;
    assert_eq!(accounts[0]["status"], "closed");
    assert_eq!(accounts[0]["bindings"][0]["status"], "removed");
    assert_eq!(accounts[0]["bindings"][0]["kind"], "card");
    assert_eq!(accounts[0]["bindings"][0]["card_last4"], "1111");
    let (_, lookup) = app
        .post(
            "/sandbox/wallet/lookup_person",
            None,
            json!({ "id_number": ID_NUMBER }),
        )
        .await;
    assert_eq!(lookup, json!({ "payment_account_id": null }));
}

#[actix_rt::test]
async fn the_security_rule_prompts_only_for_accounts_a_saga_registered() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let registered = app.register("reg").await;
    let existing = app
        .create_user(json!({ "name": "Han Meimei", "id_number": "11010519491231003X", "phone": "+8613700000000" }))
        .await;

    for (account, expected) in [(registered, true), (existing, false)] {
        let (status, body) = app
            .post(
                "/sandbox/wallet/security_rule",
                None,
                json!({ "payment_account_id": account }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({ "prompt_required": expected }));
    }
}

#[actix_rt::test]
async fn a_person_with_an_open_account_cannot_register_another() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let existing = app.create_user(person()).await;

    let (_, lookup) = app
        .post(
            "/sandbox/wallet/lookup_person",
            None,
            json!({ "id_number": ID_NUMBER }),
        )
        .await;
    assert_eq!(lookup, json!({ "payment_account_id": existing }));
    let (status, body) = app
        .post("/sandbox/wallet/register_account", Some("reg"), person())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "account_exists");
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn unknown_ids_are_not_found() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let closed = app.register("reg").await;
    let close = json!({ "payment_account_id": closed });
    app.post("/sandbox/wallet/close_account", Some("close"), close)
        .await;

    let unknown_account = json!({ "payment_account_id": "pa_000000000000000000000000" });
    let calls = [
        ("/sandbox/wallet/close_account", unknown_account.clone()),
        ("/sandbox/wallet/security_rule", unknown_account),
        (
            "/sandbox/wallet/unbind_card",
            json!({ "binding_id": "bd_000000000000000000000000" }),
        ),
        (
            "/sandbox/wallet/bind_card",
            json!({ "payment_account_id": closed, "card_number": "4111111111111111" }),
        ),
    ];
    for (path, body) in calls {
        let (status, reply) = app.post(path, Some("k"), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(reply["code"], "not_found");
    }
}

#[actix_rt::test]
async fn unknown_fields_are_rejected() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut body = person();
    body["nickname"] = json!("lei");

    let (status, reply) = app
        .post("/sandbox/wallet/register_account", Some("k"), body)
        .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["code"], "validation_failed");

    let mut blank = person();
    blank["name"] = json!(" ");
    let (status, reply) = app
        .post("/sandbox/wallet/register_account", Some("k"), blank)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["code"], "validation_failed");
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn a_wallet_user_can_hold_a_savings_binding() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut user = person();
    user["savings_card_number"] = json!("6222020000000000123");
    user["history"] =
        json!({ "months_active": 6, "payment_count": 20, "payment_volume": "1200.00" });

    let account = app.create_user(user).await;

    let accounts = app.accounts(ID_NUMBER).await;
    assert_eq!(accounts[0]["payment_account_id"], account.as_str());
    assert_eq!(accounts[0]["status"], "open");
    let binding = &accounts[0]["bindings"][0];
    assert_eq!(binding["kind"], "savings");
    assert_eq!(binding["status"], "active");
    assert_eq!(binding["card_last4"], "0123");
    assert!(app.ledger().await.is_empty());
    assert_eq!(app.accounts("unknown").await.len(), 0);
}

#[actix_rt::test]
async fn the_account_profile_shows_an_open_account_holders_name_and_takes_faults() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.create_user(person()).await;
    let profile = |id: &str| {
        app.post(
            "/sandbox/wallet/account_profile",
            None,
            json!({ "payment_account_id": id }),
        )
    };
    assert_eq!(
        profile(&account).await,
        (StatusCode::OK, json!({ "display_name": "Li Lei" }))
    );
    let (status, body) = profile("pa_000000000000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "account_not_found");

    app.inject(
        json!({ "party": "wallet", "operation": "account_profile", "mode": "error", "times": 1 }),
    )
    .await;
    assert_eq!(profile(&account).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(profile(&account).await.0, StatusCode::OK);
    assert!(app.ledger().await.is_empty(), "a profile read is no effect");

    app.post(
        "/sandbox/wallet/close_account",
        Some("close"),
        json!({ "payment_account_id": account }),
    )
    .await;
    assert_eq!(profile(&account).await.0, StatusCode::NOT_FOUND);
}
