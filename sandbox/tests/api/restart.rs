use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{person, TestSandbox, ID_NUMBER};

#[actix_rt::test]
async fn state_survives_reopening_the_database() {
    let sandbox = TestSandbox::new();
    let app = sandbox.app().await;
    let account = app.register("reg").await;
    let binding = app.bind("bind", &account).await;
    let customer = json!({ "name": "Li Lei", "id_number": ID_NUMBER, "credit_account": true });
    app.post("/sandbox/bank/customers", None, customer).await;
    let accounts_before = app.accounts(ID_NUMBER).await;
    let ledger_before = app.ledger().await;
    let bank_before = app.get(&format!("/sandbox/bank/persons/{ID_NUMBER}")).await;
    drop(app);

    let sandbox = sandbox.reopen();
    let app = sandbox.app().await;

    assert_eq!(app.accounts(ID_NUMBER).await, accounts_before);
    assert_eq!(app.ledger().await, ledger_before);
    assert_eq!(
        app.get(&format!("/sandbox/bank/persons/{ID_NUMBER}")).await,
        bank_before
    );
    assert_eq!(app.register("reg").await, account);
    assert_eq!(app.bind("bind", &account).await, binding);
    assert_eq!(app.ledger().await.len(), 2);
    let (status, _) = app
        .post("/sandbox/wallet/register_account", Some("reg-2"), person())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let unbind = json!({ "binding_id": binding });
    app.post("/sandbox/wallet/unbind_card", Some("unbind"), unbind)
        .await;
    drop(app);
    let sandbox = sandbox.reopen();
    let app = sandbox.app().await;
    let ledger = app.ledger().await;
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger[2]["operation"], "unbind_card");
    let (_, rule) = app
        .post(
            "/sandbox/wallet/security_rule",
            None,
            json!({ "payment_account_id": account }),
        )
        .await;
    assert_eq!(rule, json!({ "prompt_required": true }));
}
