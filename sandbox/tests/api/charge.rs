use actix_web::http::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{TestSandbox, ID_NUMBER};

fn charge(account: &str, amount: &str) -> Value {
    json!({
        "payment_account_id": account,
        "merchant_id": "sandbox-merchant",
        "amount": {"amount": amount, "currency": "CNY"},
    })
}

#[actix_rt::test]
async fn a_charge_is_made_once_per_key_and_refused_above_the_limit() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;

    let (status, first) = app
        .post(
            "/sandbox/wallet/charge",
            Some("c-1"),
            charge(&account, "10000.00"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let charge_id = first["charge_id"].as_str().unwrap().to_owned();
    assert!(charge_id.starts_with("ch_"), "{first}");
    let (status, replayed) = app
        .post(
            "/sandbox/wallet/charge",
            Some("c-1"),
            charge(&account, "10000.00"),
        )
        .await;
    assert_eq!((status, replayed), (StatusCode::OK, first));

    let (status, refused) = app
        .post(
            "/sandbox/wallet/charge",
            Some("c-2"),
            charge(&account, "10000.01"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "insufficient_funds");
    let (status, unknown) = app
        .post(
            "/sandbox/wallet/charge",
            Some("c-3"),
            charge("pa_nobody", "1.00"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(unknown["code"], "account_not_found");
    let (status, _) = app
        .post(
            "/sandbox/wallet/charge",
            Some("c-4"),
            charge(&account, "0.00"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let charges: Vec<Value> = app
        .ledger()
        .await
        .into_iter()
        .filter(|effect| effect["operation"] == "charge")
        .collect();
    assert_eq!(charges.len(), 1, "one effect for the charge and its replay");
    assert_eq!(charges[0]["subject"], json!(charge_id));
    let accounts = app.accounts(ID_NUMBER).await;
    assert_eq!(
        accounts[0]["charges"],
        json!([{"charge_id": charge_id, "merchant_id": "sandbox-merchant",
                "amount": {"amount": "10000.00", "currency": "CNY"}}])
    );
}

#[actix_rt::test]
async fn charge_faults_are_consumed_by_new_calls_only() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    app.inject(json!({"party": "wallet", "operation": "charge", "mode": "error", "times": 1}))
        .await;
    let (status, _) = app
        .post("/sandbox/wallet/charge", Some("c-1"), charge(&account, "5"))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, made) = app
        .post("/sandbox/wallet/charge", Some("c-1"), charge(&account, "5"))
        .await;
    assert_eq!(status, StatusCode::OK, "{made}");
}
