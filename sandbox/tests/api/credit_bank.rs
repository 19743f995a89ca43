use actix_web::http::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    credit_application, history, TestSandbox, CARD, ID_NUMBER, OTHER_ID_NUMBER, SAVINGS_CARD,
};

fn cny(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "CNY" })
}

#[actix_rt::test]
async fn only_a_persons_own_savings_card_is_verified() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let register = json!({ "card_number": SAVINGS_CARD, "id_number": ID_NUMBER });
    for _ in 0..2 {
        assert_eq!(
            app.post("/sandbox/bank/savings-cards", None, register.clone())
                .await,
            (StatusCode::CREATED, json!({}))
        );
    }
    let taken = json!({ "card_number": SAVINGS_CARD, "id_number": OTHER_ID_NUMBER });
    let (status, body) = app.post("/sandbox/bank/savings-cards", None, taken).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "savings_card_taken");
    let verify = |card: &str, id: &str| {
        app.post(
            "/sandbox/bank/verify_savings_card",
            None,
            json!({ "card_number": card, "id_number": id }),
        )
    };

    assert_eq!(
        verify(SAVINGS_CARD, ID_NUMBER).await,
        (StatusCode::OK, json!({ "verified": true }))
    );
    for (card, id, code) in [
        (SAVINGS_CARD, OTHER_ID_NUMBER, "card_holder_mismatch"),
        (CARD, ID_NUMBER, "not_savings_card"),
    ] {
        let (status, body) = verify(card, id).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["code"], code);
    }
    for (card, id) in [("12a4", ID_NUMBER), (SAVINGS_CARD, "")] {
        let (status, body) = verify(card, id).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "validation_failed");
    }
    let bad = json!({ "card_number": "x", "id_number": ID_NUMBER });
    let (status, _) = app.post("/sandbox/bank/savings-cards", None, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn cards_starting_with_the_magic_number_are_declined() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    for card in ["4000000000000002", "40000000000000029"] {
        let body = json!({ "card_number": card, "id_number": ID_NUMBER });
        let (status, reply) = app.post("/sandbox/bank/verify_card", None, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply["code"], "declined");
    }
}

#[actix_rt::test]
async fn a_credit_account_is_created_once_per_person() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    assert_eq!(
        app.credit_lookup().await,
        json!({ "credit_account_id": null, "credit_limit": null })
    );

    let created = app
        .create_credit_account("create", history(12, 12, "1234.50"))
        .await;
    let id = created["credit_account_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("cr_"), "{id}");
    // 500.00 + 1,200.00 + 123.45 = 1,823.45, factor 1.0 → 1,823.00.
    assert_eq!(created["credit_limit"], cny("1823.00"));
    assert_eq!(
        app.create_credit_account("create", history(12, 12, "1234.50"))
            .await,
        created
    );
    assert_eq!(app.credit_lookup().await, created);

    let (status, body) = app
        .post(
            "/sandbox/bank/create_credit_account",
            Some("create-2"),
            credit_application(history(0, 0, "0")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "credit_account_exists");
    let (status, body) = app
        .post(
            "/sandbox/bank/create_credit_account",
            Some("create"),
            credit_application(history(0, 0, "0")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "idempotency_key_reused");

    let ledger = app.ledger().await;
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0]["party"], "bank");
    assert_eq!(ledger[0]["operation"], "create_credit_account");
    assert_eq!(ledger[0]["idempotency_key"], "create");
    assert_eq!(ledger[0]["subject"], id.as_str());
    assert_eq!(
        app.credit_accounts(ID_NUMBER).await,
        [json!({
            "credit_account_id": id,
            "status": "active",
            "credit_limit": cny("1823.00"),
            "payment_account_id": "pa_000000000000000000000001",
            "savings_binding_id": "bd_000000000000000000000001",
        })]
    );
}

#[actix_rt::test]
async fn a_customer_from_the_fixture_already_holds_a_credit_account() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let customer = json!({ "name": "Li Lei", "id_number": ID_NUMBER, "credit_account": true });
    app.post("/sandbox/bank/customers", None, customer).await;

    let lookup = app.credit_lookup().await;
    let existing = &app.credit_accounts(ID_NUMBER).await[0];
    assert_eq!(lookup["credit_account_id"], existing["credit_account_id"]);
    assert_eq!(lookup["credit_limit"], cny("5000.00"));
    let (status, body) = app
        .post(
            "/sandbox/bank/create_credit_account",
            Some("create"),
            credit_application(history(0, 0, "0")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "credit_account_exists");
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn closing_a_credit_account_undoes_its_creation() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let created = app
        .create_credit_account("create", history(0, 0, "0"))
        .await;
    let id = created["credit_account_id"].clone();
    let close = |key| {
        app.post(
            "/sandbox/bank/close_credit_account",
            Some(key),
            json!({ "credit_account_id": id }),
        )
    };

    assert_eq!(close("close").await, (StatusCode::OK, json!({})));
    assert_eq!(close("close").await, (StatusCode::OK, json!({})));
    assert_eq!(close("close-again").await, (StatusCode::OK, json!({})));
    assert_eq!(app.credit_accounts(ID_NUMBER).await[0]["status"], "closed");
    assert_eq!(
        app.credit_lookup().await,
        json!({ "credit_account_id": null, "credit_limit": null })
    );
    let (status, body) = app
        .post(
            "/sandbox/bank/close_credit_account",
            Some("k"),
            json!({ "credit_account_id": "cr_000000000000000000000000" }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "not_found");

    let reopened = app
        .create_credit_account("create-2", history(0, 0, "0"))
        .await;
    assert_ne!(reopened["credit_account_id"], id);
    let operations: Vec<_> = app
        .ledger()
        .await
        .iter()
        .map(|effect| (effect["operation"].clone(), effect["subject"].clone()))
        .collect();
    assert_eq!(
        operations,
        [
            (json!("create_credit_account"), id.clone()),
            (json!("close_credit_account"), id),
            (
                json!("create_credit_account"),
                reopened["credit_account_id"].clone()
            ),
        ]
    );
}

#[actix_rt::test]
async fn the_limit_follows_the_history() {
    let cases = [
        (history(0, 0, "0"), "250.00"),
        (history(0, 0, "0.00"), "250.00"),
        (history(10, 2, "0"), "750.00"),
        (history(10, 3, "0"), "1200.00"),
        (history(10, 11, "0"), "1200.00"),
        (history(10, 12, "0"), "1500.00"),
        (history(24, 12, "0"), "2900.00"),
        (history(25, 12, "0"), "2900.00"),
        (history(0, 12, "200000.00"), "20500.00"),
        (history(0, 12, "200000.01"), "20500.00"),
        (history(1, 5, "5.00"), "480.00"),
        (history(0, 12, "9.99"), "500.00"),
        (
            history(4_000_000_000, 4_000_000_000, "999999999999999.99"),
            "22900.00",
        ),
    ];
    for (index, (history, limit)) in cases.into_iter().enumerate() {
        let sandbox = TestSandbox::new();
        let app = sandbox.app().await;
        let created = app
            .create_credit_account(&format!("k{index}"), history.clone())
            .await;
        assert_eq!(created["credit_limit"], cny(limit), "{history}");
    }
}

#[actix_rt::test]
async fn credit_calls_validate_their_input() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut blank_binding = credit_application(history(0, 0, "0"));
    blank_binding["savings_binding_id"] = json!("");
    let mut no_history = credit_application(history(0, 0, "0"));
    no_history.as_object_mut().unwrap().remove("history");
    let mut extra = credit_application(history(0, 0, "0"));
    extra["limit"] = json!("99999.00");
    let invalid = [
        blank_binding,
        no_history,
        extra,
        credit_application(history(0, 0, "1,000.00")),
        credit_application(json!({ "months_active": 1, "payment_count": 1, "payment_volume": 5 })),
    ];
    for body in invalid {
        let (status, reply) = app
            .post("/sandbox/bank/create_credit_account", Some("k"), body)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(reply["code"], "validation_failed");
    }
    let (status, reply) = app
        .post(
            "/sandbox/bank/create_credit_account",
            None,
            credit_application(history(0, 0, "0")),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["code"], "idempotency_key_missing");
    let (status, reply) = app
        .post(
            "/sandbox/bank/credit_account_lookup",
            None,
            json!({ "name": " ", "id_number": ID_NUMBER }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["code"], "validation_failed");
    let (status, _) = app
        .post(
            "/sandbox/bank/close_credit_account",
            None,
            json!({ "credit_account_id": "cr_1" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(app.ledger().await.is_empty());
    assert!(app.credit_accounts(ID_NUMBER).await.is_empty());
}
