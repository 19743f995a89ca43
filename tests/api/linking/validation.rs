//! Bad input: 400 `validation_failed` naming the field, and the wrong role 403.

use onboard_tests::{TestEnv, TestEnvBuilder, BANK_KEY, MERCHANT_KEY, WALLET_KEY};
use reqwest::Method;
use serde_json::{json, Value};

use super::{linked, wallet_account};

async fn post(env: &TestEnv, path: &str, key: &str, body: &Value) -> onboard_tests::Reply {
    env.api
        .send(Method::POST, path, Some(key), None, Some(body))
        .await
}

fn expect_field(reply: &onboard_tests::Reply, field: &str, what: &str) {
    reply.expect_problem(400, "validation_failed", what);
    assert_eq!(reply.body["field"], field, "{what}: {}", reply.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_linking_input_is_refused_naming_the_field() {
    let env = TestEnvBuilder::redis().start().await;
    let account = wallet_account(&env).await;
    let virtual_id = linked(&env.api, MERCHANT_KEY, &account).await;
    let money = |amount: &str| json!({ "amount": amount, "currency": "CNY" });
    let request = |virtual_id: &str, operation: &str, amount: Value| json!({ "virtual_account_id": virtual_id, "operation": operation, "amount": amount });
    for (body, field) in [
        (
            request("va_123", "charge", money("1")),
            "virtual_account_id",
        ),
        (
            request(&virtual_id.to_uppercase(), "charge", money("1")),
            "virtual_account_id",
        ),
        (request(&virtual_id, "refund", money("1")), "operation"),
        (request(&virtual_id, "charge", money("0")), "amount"),
        (request(&virtual_id, "charge", money("0.00")), "amount"),
        (request(&virtual_id, "charge", money("-1")), "amount"),
        (request(&virtual_id, "charge", money("1.234")), "amount"),
        (request(&virtual_id, "charge", money("1e3")), "amount"),
        (
            request(
                &virtual_id,
                "charge",
                json!({"amount": "1", "currency": "cny"}),
            ),
            "currency",
        ),
    ] {
        let reply = post(&env, "/v1/service-requests", MERCHANT_KEY, &body).await;
        expect_field(&reply, field, &body.to_string());
    }
    let mut extra = request(&virtual_id, "charge", money("1"));
    extra["payment_account_id"] = json!(account);
    let reply = post(&env, "/v1/service-requests", MERCHANT_KEY, &extra).await;
    reply.expect_problem(400, "validation_failed", "an unknown field");
    assert!(reply.text.contains("payment_account_id"), "{}", reply.text);

    let reply = post(
        &env,
        "/v1/links",
        MERCHANT_KEY,
        &json!({"merchant_user_ref": ""}),
    )
    .await;
    expect_field(&reply, "merchant_user_ref", "an empty user reference");
    let reply = post(
        &env,
        "/v1/links",
        MERCHANT_KEY,
        &json!({"merchant_user_ref": "u", "x": 1}),
    )
    .await;
    reply.expect_problem(400, "validation_failed", "an unknown field on a link");
    let body = json!({ "payment_account_id": "", "link_token": "lt_x" });
    let reply = post(&env, "/v1/virtual-accounts", WALLET_KEY, &body).await;
    expect_field(&reply, "payment_account_id", "an empty payment account");
    let reply = env
        .api
        .send(
            Method::GET,
            "/v1/virtual-accounts",
            Some(WALLET_KEY),
            None,
            None,
        )
        .await;
    expect_field(
        &reply,
        "payment_account_id",
        "a listing without the account",
    );
    let path = &format!("/v1/links/lnk_{}/complete", "0".repeat(32));
    let reply = post(
        &env,
        path,
        MERCHANT_KEY,
        &json!({"virtual_account_id": "va_1"}),
    )
    .await;
    expect_field(
        &reply,
        "virtual_account_id",
        "a malformed virtual id to complete",
    );

    for (path, key) in [
        ("/v1/links", BANK_KEY),
        ("/v1/links", WALLET_KEY),
        ("/v1/service-requests", WALLET_KEY),
        ("/v1/virtual-accounts", MERCHANT_KEY),
    ] {
        post(&env, path, key, &json!({}))
            .await
            .expect_problem(403, "forbidden", path);
    }
}
