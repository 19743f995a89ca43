//! Bad input on the pairing endpoints: 400 `validation_failed` naming the field, and no
//! code issued or consumed; another role's key is 403.

use onboard_tests::{Reply, TestEnv, TestEnvBuilder, BANK_KEY, WALLET_KEY};
use reqwest::Method;
use serde_json::{json, Value};

use super::{claim, issued_code, wallet_user, Place};
use crate::validation::check_validation_error;

async fn post(env: &TestEnv, path: &str, body: &Value) -> Reply {
    env.api
        .send(Method::POST, path, Some(WALLET_KEY), None, Some(body))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_invalid_field_is_named_and_nothing_is_issued_or_consumed() {
    let env = TestEnvBuilder::redis().start().await;
    let (_, account) = wallet_user(&env).await;
    let here = Place::centre();
    let code = issued_code(&env, &account, here).await;
    let issue =
        json!({ "payment_account_id": account, "location": here.json(), "operation": "pay" });
    let claim_body =
        json!({ "code": code, "payment_account_id": "pa_claimant", "location": here.json() });

    let mut failures = Vec::new();
    let location_cases: Vec<(&str, Value)> = vec![
        ("location.lat", json!({ "lat": 85.06, "lon": 0.0 })),
        ("location.lat", json!({ "lat": -90.0, "lon": 0.0 })),
        ("location.lon", json!({ "lat": 0.0, "lon": 180.5 })),
        ("location.lon", json!({ "lat": 0.0, "lon": -181.0 })),
        ("location.lat", json!({ "lat": "NaN", "lon": 0.0 })),
        ("location.lat", json!({ "lat": "31.2", "lon": 0.0 })),
        ("location.lon", json!({ "lat": 31.2, "lon": null })),
        ("lon", json!({ "lat": 31.2 })),
        ("alt", json!({ "lat": 31.2, "lon": 121.4, "alt": 3 })),
    ];
    for (field, location) in &location_cases {
        for (path, valid) in [
            ("/v1/pairing-codes", &issue),
            ("/v1/pairing-codes/claim", &claim_body),
        ] {
            let mut body = valid.clone();
            body["location"] = location.clone();
            let reply = post(&env, path, &body).await;
            if let Err(e) = check_validation_error(&reply, field, &format!("{path} {location}")) {
                failures.push(e);
            }
        }
    }
    let mut cases: Vec<(&str, &str, Value)> = Vec::new();
    for bad in [
        json!("12345"),
        json!("1234567"),
        json!("12345a"),
        json!(" 12345"),
        json!(123456),
        json!(""),
    ] {
        let mut body = claim_body.clone();
        body["code"] = bad;
        cases.push(("/v1/pairing-codes/claim", "code", body));
    }
    for bad in [
        json!(""),
        json!("Pay"),
        json!("pay now"),
        json!("a".repeat(33)),
        json!(1),
    ] {
        let mut body = issue.clone();
        body["operation"] = bad;
        cases.push(("/v1/pairing-codes", "operation", body));
    }
    let mut extra = issue.clone();
    extra["radius_m"] = json!(10);
    cases.push(("/v1/pairing-codes", "radius_m", extra));
    let mut extra = claim_body.clone();
    extra["display_name"] = json!("x");
    cases.push(("/v1/pairing-codes/claim", "display_name", extra));
    for path in ["/v1/pairing-codes", "/v1/pairing-codes/claim"] {
        let body = if path.ends_with("claim") {
            &claim_body
        } else {
            &issue
        };
        let mut without = body.clone();
        without
            .as_object_mut()
            .unwrap()
            .remove("payment_account_id");
        cases.push((path, "payment_account_id", without));
        let mut blank = body.clone();
        blank["payment_account_id"] = json!("  ");
        cases.push((path, "payment_account_id", blank));
    }
    for (path, field, body) in &cases {
        let reply = post(&env, path, body).await;
        if let Err(e) = check_validation_error(&reply, field, &format!("{path} {body}")) {
            failures.push(e);
        }
    }
    let raw = format!(
        r#"{{"code":"{code}","payment_account_id":"pa_claimant","location":{{"lat":NaN,"lon":121.4}}}}"#
    );
    let reply = env
        .api
        .post_raw("/v1/pairing-codes/claim", Some(WALLET_KEY), &raw)
        .await;
    if let Err(e) = check_validation_error(&reply, "location.lat", "a bare NaN") {
        failures.push(e);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let reply = env
        .api
        .send(
            Method::POST,
            "/v1/pairing-codes",
            Some(BANK_KEY),
            None,
            Some(&issue),
        )
        .await;
    reply.expect_problem(403, "forbidden", "a bank key");
    // Nothing above consumed the code, and none of it counted as a failed claim.
    claim(&env, &code, "pa_claimant", here)
        .await
        .expect_status(200, "the code after the rejected requests");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_the_wallet_does_not_know_gets_no_code() {
    let env = TestEnvBuilder::embedded().start().await;
    let reply = super::issue(&env, "pa_000000000000000000000000", Place::centre(), "pay").await;
    reply.expect_problem(404, "not_found", "an unknown account");
    env.sandbox
        .inject_fault("wallet", "account_profile", "error", 1, None)
        .await;
    let (_, account) = wallet_user(&env).await;
    super::issue(&env, &account, Place::centre(), "pay")
        .await
        .expect_problem(503, "unavailable", "the wallet failing");
    super::issue(&env, &account, Place::centre(), "pay")
        .await
        .expect_status(201, "the wallet answering again");
}
