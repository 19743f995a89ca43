//! End-to-end tests of account linking (seed 000) through the real binary, on real Redis
//! and on the embedded store: links and their single-use tokens, pairwise virtual accounts,
//! service requests that charge the real account, revocation, bad input, the real account
//! absent from Redis, the store file and the logs, and kill -9 during service requests.

mod crash;
mod links;
mod personal_data;
mod revocation;
mod service_requests;
mod validation;

use std::time::Duration;

use onboard_tests::{Api, Reply, TestEnv, MERCHANT_KEY, WALLET_KEY};
use reqwest::Method;
use serde_json::{json, Value};

/// `POST /v1/links` as `merchant`.
pub async fn create_link(api: &Api, merchant: &str, user_ref: &str) -> Reply {
    let body = json!({ "merchant_user_ref": user_ref });
    api.send(Method::POST, "/v1/links", Some(merchant), None, Some(&body))
        .await
}

/// `POST /v1/virtual-accounts` as the wallet: the token exchanged for a virtual id.
pub async fn exchange(api: &Api, account: &str, token: &str) -> Reply {
    let body = json!({ "payment_account_id": account, "link_token": token });
    api.send(
        Method::POST,
        "/v1/virtual-accounts",
        Some(WALLET_KEY),
        None,
        Some(&body),
    )
    .await
}

/// `POST /v1/links/{id}/complete` as `merchant`.
pub async fn complete(api: &Api, merchant: &str, link: &str, virtual_id: &str) -> Reply {
    let body = json!({ "virtual_account_id": virtual_id });
    let path = format!("/v1/links/{link}/complete");
    api.send(Method::POST, &path, Some(merchant), None, Some(&body))
        .await
}

/// `GET /v1/links/{id}` as `merchant`.
pub async fn get_link(api: &Api, merchant: &str, link: &str) -> Reply {
    let path = format!("/v1/links/{link}");
    api.send(Method::GET, &path, Some(merchant), None, None)
        .await
}

/// Links `account` at `merchant` the whole way (create, exchange, complete); the virtual id.
pub async fn linked(api: &Api, merchant: &str, account: &str) -> String {
    let link = create_link(api, merchant, "user-1").await;
    link.expect_status(201, "POST /v1/links");
    let token = link.body["link_token"].as_str().expect("a link token");
    let minted = exchange(api, account, token).await;
    minted.expect_status(201, "POST /v1/virtual-accounts");
    let virtual_id = minted.body["virtual_account_id"]
        .as_str()
        .expect("a virtual id")
        .to_owned();
    let id = link.body["id"].as_str().expect("a link id");
    complete(api, merchant, id, &virtual_id)
        .await
        .expect_status(200, "POST /v1/links/{id}/complete");
    virtual_id
}

/// `GET /v1/virtual-accounts?payment_account_id=…` as `wallet`.
pub async fn listed(env: &TestEnv, wallet: &str, account: &str) -> Vec<Value> {
    let path = format!("/v1/virtual-accounts?payment_account_id={account}");
    let reply = env
        .api
        .send(Method::GET, &path, Some(wallet), None, None)
        .await;
    reply.expect_status(200, "GET /v1/virtual-accounts");
    reply.body["virtual_accounts"].as_array().unwrap().clone()
}

/// `DELETE /v1/virtual-accounts/{id}` as `wallet`; the status.
pub async fn revoke(env: &TestEnv, wallet: &str, virtual_id: &str) -> u16 {
    let path = format!("/v1/virtual-accounts/{virtual_id}");
    let reply = env
        .api
        .send(Method::DELETE, &path, Some(wallet), None, None)
        .await;
    reply.status
}

/// A person the wallet knows, with an open account; its payment account id.
pub async fn wallet_account(env: &TestEnv) -> String {
    env.sandbox
        .create_wallet_user(&onboard_tests::person())
        .await
}

/// The body of a charge.
pub fn charge_body(virtual_id: &str, amount: &str) -> Value {
    json!({
        "virtual_account_id": virtual_id,
        "operation": "charge",
        "amount": { "amount": amount, "currency": "CNY" },
    })
}

/// `POST /v1/service-requests` as `merchant`, under `key` if given.
pub async fn charge(
    api: &Api,
    merchant: &str,
    virtual_id: &str,
    amount: &str,
    key: Option<&str>,
) -> Reply {
    let body = charge_body(virtual_id, amount);
    api.send(
        Method::POST,
        "/v1/service-requests",
        Some(merchant),
        key,
        Some(&body),
    )
    .await
}

/// The service request once final (or after 20 s), as `GET …?wait` answers it.
pub async fn settled(api: &Api, id: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let path = format!("/v1/service-requests/{id}?wait=5");
        let reply = api
            .send(Method::GET, &path, Some(MERCHANT_KEY), None, None)
            .await;
        reply.expect_status(200, "GET /v1/service-requests/{id}");
        if reply.body["status"] != "accepted" || tokio::time::Instant::now() > deadline {
            return reply.body;
        }
    }
}
