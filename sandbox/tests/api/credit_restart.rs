use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{history, person, TestSandbox, ID_NUMBER, OTHER_ID_NUMBER, SAVINGS_CARD};

#[actix_rt::test]
async fn credit_state_survives_reopening_the_database() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let mut user = person();
    user["history"] = history(12, 12, "1234.50");
    let account = app.create_user(user).await;
    let card = json!({ "card_number": "6222020000000000999", "id_number": OTHER_ID_NUMBER });
    app.post("/sandbox/bank/savings-cards", None, card).await;
    let card = json!({ "card_number": SAVINGS_CARD, "id_number": ID_NUMBER });
    app.post("/sandbox/bank/savings-cards", None, card).await;
    let binding = app.bind_savings("bind", &account).await;
    let created = app
        .create_credit_account("create", history(12, 12, "1234.50"))
        .await;
    let close = json!({ "credit_account_id": created["credit_account_id"] });
    app.post(
        "/sandbox/bank/close_credit_account",
        Some("close"),
        close.clone(),
    )
    .await;
    let record = json!({ "payment_account_id": account });
    let (_, record_before) = app
        .post("/sandbox/wallet/real_name_record", None, record.clone())
        .await;
    assert_eq!(record_before["history"], history(12, 12, "1234.50"));
    let accounts_before = app.accounts(ID_NUMBER).await;
    let credit_before = app.credit_accounts(ID_NUMBER).await;
    let ledger_before = app.ledger().await;
    drop(app);

    let sandbox = sandbox.reopen();
    let app = sandbox.app().await;

    assert_eq!(app.accounts(ID_NUMBER).await, accounts_before);
    assert_eq!(app.credit_accounts(ID_NUMBER).await, credit_before);
    assert_eq!(app.ledger().await, ledger_before);
    assert_eq!(
        app.post("/sandbox/wallet/real_name_record", None, record)
            .await,
        (StatusCode::OK, record_before)
    );
    for (card, id, expected) in [
        (SAVINGS_CARD, ID_NUMBER, StatusCode::OK),
        ("6222020000000000999", OTHER_ID_NUMBER, StatusCode::OK),
        (
            SAVINGS_CARD,
            OTHER_ID_NUMBER,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let verify = json!({ "card_number": card, "id_number": id });
        let (status, _) = app
            .post("/sandbox/bank/verify_savings_card", None, verify)
            .await;
        assert_eq!(status, expected);
    }
    let (_, status) = app
        .post(
            "/sandbox/wallet/savings_status",
            None,
            json!({ "payment_account_id": account }),
        )
        .await;
    assert_eq!(status["savings_binding_id"], binding.as_str());
    assert_eq!(app.bind_savings("bind", &account).await, binding);
    assert_eq!(
        app.create_credit_account("create", history(12, 12, "1234.50"))
            .await,
        created
    );
    let (status, _) = app
        .post("/sandbox/bank/close_credit_account", Some("close"), close)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.ledger().await.len(), 3);
    assert_eq!(
        app.credit_lookup().await,
        json!({ "credit_account_id": null, "credit_limit": null })
    );
}
