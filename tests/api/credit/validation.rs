//! Bad input and bad callers on the credit-application endpoints: a clear problem
//! answer, nothing stored, nothing sent to a party, nothing counted as a mismatch.

use onboard_tests::{
    card_number, Reply, TestEnv, TestEnvBuilder, BANK_KEY, CREDIT_APPLICATIONS, WALLET_KEY,
};
use reqwest::Method;
use serde_json::{json, Value};

use super::applicant;
use crate::validation::{assert_nothing_stored, check_validation_error};

async fn post(env: &TestEnv, key: Option<&str>, path: &str, body: &Value) -> Reply {
    env.api
        .send(Method::POST, path, key, None, Some(body))
        .await
}

async fn get(env: &TestEnv, key: Option<&str>, path: &str) -> Reply {
    env.api.send(Method::GET, path, key, None, None).await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_invalid_field_is_named_and_nothing_is_stored_or_counted() {
    let mut env = TestEnvBuilder::redis().start().await;
    let target = applicant(&env, None, None).await;
    let valid = target.body();
    let cases: Vec<(&str, Value)> = vec![
        ("payment_account_id", json!("")),
        ("payment_account_id", json!("   ")),
        ("name", json!("")),
        ("name", json!("  ")),
        ("id_number_suffix", json!("12")),
        ("id_number_suffix", json!("123")),
        ("id_number_suffix", json!("1234567")),
        ("id_number_suffix", json!("12a4")),
        ("id_number_suffix", json!("X234")),
        ("id_number_suffix", json!(1234)),
        ("name", json!(42)),
    ];
    let mut failures = Vec::new();
    for (field, value) in cases {
        let mut body = valid.clone();
        body[field] = value.clone();
        let reply = post(&env, Some(WALLET_KEY), CREDIT_APPLICATIONS, &body).await;
        failures.extend(check_validation_error(&reply, field, &format!("{field} = {value}")).err());
    }
    for field in ["payment_account_id", "name", "id_number_suffix"] {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(field);
        let reply = post(&env, Some(WALLET_KEY), CREDIT_APPLICATIONS, &body).await;
        failures.extend(check_validation_error(&reply, field, &format!("missing {field}")).err());
    }
    let mut body = valid.clone();
    body["id_number"] = json!("x");
    let reply = post(&env, Some(WALLET_KEY), CREDIT_APPLICATIONS, &body).await;
    failures.extend(check_validation_error(&reply, "id_number", "unknown field id_number").err());
    assert!(
        failures.is_empty(),
        "validation failures:\n{}",
        failures.join("\n")
    );
    assert_nothing_stored(&mut env).await;

    // Fifteen invalid requests for the account did not count as real-name mismatches.
    let id = env.api.apply_for_credit(&valid).await;
    let waiting = env.api.wait_credit_waiting(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    let path = format!("{CREDIT_APPLICATIONS}/{id}/savings-account");
    for (value, what) in [
        (json!({ "card_number": "1234" }), "a short card number"),
        (json!({ "card_number": "" }), "an empty card number"),
        (json!({}), "no card number"),
    ] {
        let reply = post(&env, Some(WALLET_KEY), &path, &value).await;
        failures.extend(check_validation_error(&reply, "card_number", what).err());
    }
    assert!(
        failures.is_empty(),
        "validation failures:\n{}",
        failures.join("\n")
    );
    let still = env.api.credit_application(&id).await;
    assert_eq!(still["status"], "waiting", "{still}");
    assert!(still["waiting_for"]["last_rejection"].is_null(), "{still}");
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_wallet_applies_and_sees_its_applications() {
    let mut env = TestEnvBuilder::redis().start().await;
    let target = applicant(&env, None, None).await;
    let body = target.body();
    post(&env, None, CREDIT_APPLICATIONS, &body)
        .await
        .expect_problem(401, "unauthenticated", "no Authorization");
    post(&env, Some(BANK_KEY), CREDIT_APPLICATIONS, &body)
        .await
        .expect_problem(403, "forbidden", "bank key on a wallet endpoint");
    post(&env, Some("merchant_test_key"), CREDIT_APPLICATIONS, &body)
        .await
        .expect_problem(403, "forbidden", "merchant key on a wallet endpoint");
    get(
        &env,
        Some(WALLET_KEY),
        &format!("{CREDIT_APPLICATIONS}/ca_unknown"),
    )
    .await
    .expect_problem(404, "not_found", "unknown application");
    post(
        &env,
        Some(WALLET_KEY),
        &format!("{CREDIT_APPLICATIONS}/ca_unknown/savings-account"),
        &json!({ "card_number": card_number() }),
    )
    .await
    .expect_problem(404, "not_found", "card for an unknown application");
    assert_nothing_stored(&mut env).await;

    let id = env.api.apply_for_credit(&body).await;
    env.api.wait_credit_waiting(&id).await;
    let mine = format!("{CREDIT_APPLICATIONS}/{id}");
    get(&env, Some(WALLET_KEY), &mine)
        .await
        .expect_status(200, "the wallet reads its application");
    get(&env, Some(BANK_KEY), &mine).await.expect_problem(
        403,
        "forbidden",
        "bank key reading an application",
    );
    get(&env, None, &mine)
        .await
        .expect_problem(401, "unauthenticated", "reading without a key");
    post(
        &env,
        Some(BANK_KEY),
        &format!("{mine}/savings-account"),
        &json!({ "card_number": card_number() }),
    )
    .await
    .expect_problem(403, "forbidden", "bank key supplying a card");
    // Not an onboarding: the bank's onboardings endpoint does not know it.
    get(&env, Some(BANK_KEY), &format!("/v1/onboardings/{id}"))
        .await
        .expect_problem(404, "not_found", "an application read as an onboarding");
    let still = env.api.credit_application(&id).await;
    assert_eq!(still["status"], "waiting", "{still}");
}
