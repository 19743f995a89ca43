//! Bad input and bad callers on `POST /v1/onboardings`: a clear problem answer,
//! and nothing stored or sent to a party.

use onboard_tests::{
    card_number, onboarding_body, person, Reply, TestEnv, TestEnvBuilder, BANK_KEY, OPERATOR_KEY,
    WALLET_KEY,
};
use reqwest::Method;
use serde_json::{json, Value};

/// Whether `text` mentions `field` as a whole word (`name` is not found in `nickname`).
fn mentions(text: &str, field: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(field).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + field.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// Whether a problem answer names `field` in `field`, `detail` or `errors`.
fn names_field(problem: &Value, field: &str) -> bool {
    problem["field"] == field
        || problem["detail"]
            .as_str()
            .is_some_and(|d| mentions(d, field))
        || problem
            .get("errors")
            .is_some_and(|errors| mentions(&errors.to_string(), field))
}

/// Checks a 400 `validation_failed` problem naming `field`; the failure otherwise.
pub(crate) fn check_validation_error(reply: &Reply, field: &str, what: &str) -> Result<(), String> {
    let content_type = reply.header("content-type").unwrap_or("");
    if reply.status != 400
        || !content_type.starts_with("application/problem+json")
        || reply.code() != Some("validation_failed")
    {
        return Err(format!(
            "{what}: expected 400 application/problem+json validation_failed, got {} {content_type:?} {}",
            reply.status, reply.text
        ));
    }
    if !names_field(&reply.body, field) {
        return Err(format!(
            "{what}: the problem does not name `{field}`: {}",
            reply.text
        ));
    }
    for member in ["type", "title", "status", "detail"] {
        if reply.body.get(member).is_none() {
            return Err(format!("{what}: problem lacks `{member}`: {}", reply.text));
        }
    }
    Ok(())
}

async fn post(env: &TestEnv, key: Option<&str>, body: &Value, idempotency_key: &str) -> Reply {
    env.api
        .send(
            Method::POST,
            "/v1/onboardings",
            key,
            Some(idempotency_key),
            Some(body),
        )
        .await
}

/// Asserts that no saga reached the store or the parties.
pub(crate) async fn assert_nothing_stored(env: &mut TestEnv) {
    let stored: Vec<String> = env
        .redis()
        .keys()
        .into_iter()
        .filter(|k| k.contains(":saga:") || k.contains(":journal:"))
        .collect();
    assert!(
        stored.is_empty(),
        "rejected requests stored sagas: {stored:?}"
    );
    let ledger = env.sandbox.ledger().await;
    assert!(
        ledger.effects.is_empty(),
        "rejected requests reached the parties: {:?}",
        ledger.effects
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn each_invalid_field_is_named_and_nothing_is_stored() {
    let mut env = TestEnvBuilder::redis().start().await;
    let valid = onboarding_body(&person(), &card_number());
    let id_number = valid["id_number"].as_str().unwrap().to_owned();
    let card = valid["card_number"].as_str().unwrap().to_owned();
    let wrong_check = {
        let last = id_number.chars().last().unwrap();
        let other = if last == '1' { '2' } else { '1' };
        format!("{}{other}", &id_number[..17])
    };
    let wrong_luhn = {
        let last = card.chars().last().unwrap().to_digit(10).unwrap();
        format!("{}{}", &card[..card.len() - 1], (last + 1) % 10)
    };
    let cases: Vec<(&str, Value)> = vec![
        ("name", json!("")),
        ("name", json!("   ")),
        ("id_number", json!(wrong_check)),
        ("id_number", json!("11010119900307")),
        ("id_number", json!("11010119900307ABCX")),
        ("phone", json!("13800138000")),
        ("phone", json!("+86 138 0013 8000")),
        ("card_number", json!(wrong_luhn)),
        ("card_number", json!("not-a-card")),
        ("bank_user_ref", json!("")),
    ];
    let mut failures = Vec::new();
    for (n, (field, value)) in cases.into_iter().enumerate() {
        let mut body = valid.clone();
        body[field] = value.clone();
        let reply = post(&env, Some(BANK_KEY), &body, &format!("invalid-{n}")).await;
        failures.extend(check_validation_error(&reply, field, &format!("{field} = {value}")).err());
    }
    for field in ["bank_user_ref", "name", "id_number", "phone", "card_number"] {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(field);
        let reply = post(&env, Some(BANK_KEY), &body, &format!("missing-{field}")).await;
        failures.extend(check_validation_error(&reply, field, &format!("missing {field}")).err());
    }
    assert!(
        failures.is_empty(),
        "validation failures:\n{}",
        failures.join("\n")
    );
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_bodies_are_refused() {
    let mut env = TestEnvBuilder::redis().start().await;
    let mut body = onboarding_body(&person(), &card_number());
    body["nickname"] = json!("x");
    let reply = post(&env, Some(BANK_KEY), &body, "unknown-field").await;
    reply.expect_status(400, "unknown field");
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/problem+json")),
        "unknown field: not problem+json: {:?}",
        reply.header("content-type")
    );
    assert!(
        names_field(&reply.body, "nickname"),
        "unknown field: the problem does not name `nickname`: {}",
        reply.text
    );

    for raw in ["{", "[]", "null", "\"text\""] {
        let reply = env
            .api
            .post_raw("/v1/onboardings", Some(BANK_KEY), raw)
            .await;
        reply.expect_status(400, &format!("body {raw:?}"));
        assert_eq!(
            reply.code(),
            Some("validation_failed"),
            "body {raw:?}: {}",
            reply.text
        );
    }
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn callers_must_authenticate_with_the_bank_role() {
    let mut env = TestEnvBuilder::redis().start().await;
    let body = onboarding_body(&person(), &card_number());

    post(&env, None, &body, "no-key").await.expect_problem(
        401,
        "unauthenticated",
        "no Authorization",
    );
    post(&env, Some("not_a_key"), &body, "bad-key")
        .await
        .expect_problem(401, "unauthenticated", "unknown key");
    post(&env, Some(WALLET_KEY), &body, "wallet-key")
        .await
        .expect_problem(403, "forbidden", "wallet key on a bank endpoint");
    post(&env, Some(OPERATOR_KEY), &body, "operator-key")
        .await
        .expect_problem(403, "forbidden", "operator key on a bank endpoint");

    let reply = env
        .api
        .send(
            Method::GET,
            "/v1/onboardings/does-not-exist",
            Some(BANK_KEY),
            None,
            None,
        )
        .await;
    reply.expect_problem(404, "not_found", "unknown workflow");
    let reply = env
        .api
        .send(
            Method::GET,
            "/v1/onboardings/does-not-exist",
            None,
            None,
            None,
        )
        .await;
    reply.expect_problem(401, "unauthenticated", "GET without a key");
    let reply = env
        .api
        .send(
            Method::GET,
            "/v1/security-prompts?payment_account_id=x",
            Some(BANK_KEY),
            None,
            None,
        )
        .await;
    reply.expect_problem(403, "forbidden", "bank key on the wallet's prompts");
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_field_of_the_wrong_json_type_is_named() {
    let mut env = TestEnvBuilder::redis().start().await;
    let valid = onboarding_body(&person(), &card_number());
    let mut failures = Vec::new();
    for (n, (field, value)) in [
        ("name", json!(42)),
        ("card_number", json!(4_111_111_111_111_111_u64)),
        ("phone", json!(["+8613800138000"])),
        ("bank_user_ref", json!(null)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = valid.clone();
        body[field] = value.clone();
        let reply = post(&env, Some(BANK_KEY), &body, &format!("type-{n}")).await;
        failures.extend(check_validation_error(&reply, field, &format!("{field} = {value}")).err());
    }
    assert!(
        failures.is_empty(),
        "validation failures:\n{}",
        failures.join("\n")
    );
    assert_nothing_stored(&mut env).await;
}
