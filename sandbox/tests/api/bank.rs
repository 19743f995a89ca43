use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{TestSandbox, CARD, ID_NUMBER};

#[actix_rt::test]
async fn the_bank_declines_the_magic_card_only() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let verify = |card: &str| {
        app.post(
            "/sandbox/bank/verify_card",
            None,
            json!({ "card_number": card, "id_number": ID_NUMBER }),
        )
    };

    assert_eq!(
        verify(CARD).await,
        (StatusCode::OK, json!({ "verified": true }))
    );
    let (status, body) = verify("4000000000000002").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "declined");
    assert!(app.ledger().await.is_empty());
}

#[actix_rt::test]
async fn bank_customers_may_hold_a_credit_account() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let customer = |id: &str, credit: bool| {
        app.post(
            "/sandbox/bank/customers",
            None,
            json!({ "name": "Li Lei", "id_number": id, "credit_account": credit }),
        )
    };

    assert_eq!(
        customer(ID_NUMBER, true).await,
        (StatusCode::CREATED, json!({}))
    );
    assert_eq!(customer(ID_NUMBER, true).await.0, StatusCode::CREATED);
    assert_eq!(
        customer("11010519491231003X", false).await.0,
        StatusCode::CREATED
    );

    let holder = app.get(&format!("/sandbox/bank/persons/{ID_NUMBER}")).await;
    let accounts = holder["credit_accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1);
    assert!(accounts[0]["credit_account_id"]
        .as_str()
        .unwrap()
        .starts_with("cr_"));
    assert_eq!(accounts[0]["status"], "active");
    assert_eq!(
        accounts[0]["credit_limit"],
        json!({ "amount": "5000.00", "currency": "CNY" })
    );
    for id in ["11010519491231003X", "unknown"] {
        let other = app.get(&format!("/sandbox/bank/persons/{id}")).await;
        assert_eq!(other, json!({ "credit_accounts": [] }));
    }
}
