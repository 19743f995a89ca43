use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{history, person, TestSandbox, ID_NUMBER, OTHER_ID_NUMBER, SAVINGS_CARD};

#[actix_rt::test]
async fn the_real_name_record_shows_name_id_number_and_history() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut user = person();
    user["history"] = history(7, 30, "1234.5");
    let with_history = app.create_user(user).await;
    let without_history = app
        .create_user(json!({ "name": "Han Meimei", "id_number": OTHER_ID_NUMBER, "phone": "+8613700000000" }))
        .await;
    let record = |id: &str| {
        app.post(
            "/sandbox/wallet/real_name_record",
            None,
            json!({ "payment_account_id": id }),
        )
    };

    assert_eq!(
        record(&with_history).await,
        (
            StatusCode::OK,
            json!({
                "name": "Li Lei",
                "id_number": ID_NUMBER,
                "history": history(7, 30, "1234.50"),
            })
        )
    );
    assert_eq!(
        record(&without_history).await,
        (
            StatusCode::OK,
            json!({
                "name": "Han Meimei",
                "id_number": OTHER_ID_NUMBER,
                "history": history(0, 0, "0.00"),
            })
        )
    );
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn only_open_accounts_have_a_real_name_record_or_savings_status() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let closed = app.register("reg").await;
    let close = json!({ "payment_account_id": closed });
    app.post("/sandbox/wallet/close_account", Some("close"), close)
        .await;

    for path in [
        "/sandbox/wallet/real_name_record",
        "/sandbox/wallet/savings_status",
    ] {
        for id in [closed.as_str(), "pa_000000000000000000000000"] {
            let (status, body) = app
                .post(path, None, json!({ "payment_account_id": id }))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(body["code"], "account_not_found");
        }
        let (status, body) = app
            .post(path, None, json!({ "payment_account_id": " " }))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "validation_failed");
        let (status, body) = app.post(path, None, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "validation_failed");
    }
}

#[actix_rt::test]
async fn a_savings_card_is_bound_once_and_can_be_unbound() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.create_user(person()).await;
    let status = || {
        app.post(
            "/sandbox/wallet/savings_status",
            None,
            json!({ "payment_account_id": account }),
        )
    };
    assert_eq!(
        status().await,
        (
            StatusCode::OK,
            json!({ "savings_binding_id": null, "card_last4": null })
        )
    );
    app.bind("card", &account).await;
    assert_eq!(status().await.1["savings_binding_id"], json!(null));

    let binding = app.bind_savings("savings", &account).await;
    assert_eq!(app.bind_savings("savings", &account).await, binding);
    assert_eq!(
        status().await,
        (
            StatusCode::OK,
            json!({ "savings_binding_id": binding, "card_last4": "0123" })
        )
    );
    let again = json!({ "payment_account_id": account, "card_number": "6222020000000000456" });
    let (code, reply) = app
        .post(
            "/sandbox/wallet/bind_savings_card",
            Some("savings-2"),
            again.clone(),
        )
        .await;
    assert_eq!(code, StatusCode::CONFLICT);
    assert_eq!(reply["code"], "already_bound");

    let ledger = app.ledger().await;
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[1]["party"], "wallet");
    assert_eq!(ledger[1]["operation"], "bind_savings_card");
    assert_eq!(ledger[1]["idempotency_key"], "savings");
    assert_eq!(ledger[1]["subject"], binding.as_str());
    let bindings = &app.accounts(ID_NUMBER).await[0]["bindings"];
    assert_eq!(bindings[1]["binding_id"], binding.as_str());
    assert_eq!(bindings[1]["kind"], "savings");
    assert_eq!(bindings[1]["status"], "active");

    let unbind = json!({ "binding_id": binding });
    let (code, _) = app
        .post("/sandbox/wallet/unbind_card", Some("unbind"), unbind)
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_eq!(
        app.accounts(ID_NUMBER).await[0]["bindings"][1]["status"],
        "removed"
    );
    assert_eq!(
        status().await.1,
        json!({ "savings_binding_id": null, "card_last4": null })
    );
    let (code, reply) = app
        .post(
            "/sandbox/wallet/bind_savings_card",
            Some("savings-2"),
            again,
        )
        .await;
    assert_eq!(code, StatusCode::OK);
    assert_ne!(reply["binding_id"], binding.as_str());
    let operations: Vec<_> = app
        .ledger()
        .await
        .iter()
        .map(|effect| effect["operation"].clone())
        .collect();
    assert_eq!(
        operations,
        [
            "bind_card",
            "bind_savings_card",
            "unbind_card",
            "bind_savings_card"
        ]
    );
}

#[actix_rt::test]
async fn a_savings_binding_needs_a_key_a_valid_card_and_an_open_account() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    let bind =
        |key: Option<&'static str>, body| app.post("/sandbox/wallet/bind_savings_card", key, body);

    let valid = json!({ "payment_account_id": account, "card_number": SAVINGS_CARD });
    assert_eq!(bind(None, valid.clone()).await.0, StatusCode::BAD_REQUEST);
    for body in [
        json!({ "payment_account_id": account, "card_number": "62-22" }),
        json!({ "payment_account_id": account }),
        json!({ "payment_account_id": "", "card_number": SAVINGS_CARD }),
        json!({ "payment_account_id": account, "card_number": SAVINGS_CARD, "x": 1 }),
    ] {
        let (status, reply) = bind(Some("k"), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(reply["code"], "validation_failed");
    }
    let close = json!({ "payment_account_id": account });
    app.post("/sandbox/wallet/close_account", Some("close"), close)
        .await;
    for id in [account.as_str(), "pa_000000000000000000000000"] {
        let body = json!({ "payment_account_id": id, "card_number": SAVINGS_CARD });
        let (status, reply) = bind(Some("k"), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(reply["code"], "account_not_found");
    }
    assert_eq!(app.ledger().await.len(), 2);
}

#[actix_rt::test]
async fn the_users_fixture_takes_a_history_and_a_savings_card() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut user = person();
    user["history"] = history(1, 2, "3.00");
    user["savings_card_number"] = json!(SAVINGS_CARD);

    let account = app.create_user(user).await;

    let (_, status) = app
        .post(
            "/sandbox/wallet/savings_status",
            None,
            json!({ "payment_account_id": account }),
        )
        .await;
    let binding = &app.accounts(ID_NUMBER).await[0]["bindings"][0];
    assert_eq!(status["savings_binding_id"], binding["binding_id"]);
    assert_eq!(status["card_last4"], "0123");
    let verify = json!({ "card_number": SAVINGS_CARD, "id_number": ID_NUMBER });
    assert_eq!(
        app.post("/sandbox/bank/verify_savings_card", None, verify)
            .await,
        (StatusCode::OK, json!({ "verified": true }))
    );
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn the_users_fixture_rejects_bad_history_and_another_persons_card() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let bad_histories = [
        json!({ "monthly_spend": "1200.00" }),
        history(1, 2, "3.001"),
        json!({ "months_active": -1, "payment_count": 0, "payment_volume": "0" }),
        json!({ "months_active": 1, "payment_count": 0 }),
        json!("rich"),
    ];
    for bad in bad_histories {
        let mut user = person();
        user["history"] = bad;
        let (status, body) = app.post("/sandbox/wallet/users", None, user).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "validation_failed");
    }

    let card = json!({ "card_number": SAVINGS_CARD, "id_number": OTHER_ID_NUMBER });
    app.post("/sandbox/bank/savings-cards", None, card).await;
    let mut user = person();
    user["savings_card_number"] = json!(SAVINGS_CARD);
    let (status, body) = app.post("/sandbox/wallet/users", None, user).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "savings_card_taken");
    assert!(app.accounts(ID_NUMBER).await.is_empty());
}
