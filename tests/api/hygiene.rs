//! HTTP hygiene through the real binary: odd input never panics, every error is a
//! problem (405, 413, 415, bad codings), the role is checked before anything else, and
//! headers, `?wait=` and names are read strictly.

mod raw;

use std::io::Write as _;

use onboard_tests::{
    card_number, credit_application_body, id_suffix, onboarding_body, person, Person, TestEnv,
    TestEnvBuilder, BANK_KEY, WALLET_KEY,
};
use reqwest::Method;
use serde_json::json;

use crate::validation::{assert_nothing_stored, check_validation_error};

const JSON: (&str, &str) = ("Content-Type", "application/json");
const BANK: (&str, &str) = ("Authorization", "Bearer bank_test_key");
const WALLET: (&str, &str) = ("Authorization", "Bearer wallet_test_key");

/// A valid onboarding body as bytes.
fn onboarding_bytes() -> Vec<u8> {
    onboarding_body(&person(), &card_number())
        .to_string()
        .into_bytes()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_ascii_id_number_is_refused_not_a_panic() {
    let mut env = TestEnvBuilder::redis().start().await;
    let mut body = onboarding_body(&person(), &card_number());
    for id_number in ["1101011990030745é", "110101199003074é4", "１１０１０１"] {
        body["id_number"] = json!(id_number);
        let reply = env
            .api
            .send(
                Method::POST,
                "/v1/onboardings",
                Some(BANK_KEY),
                None,
                Some(&body),
            )
            .await;
        check_validation_error(&reply, "id_number", id_number).unwrap();
    }
    let health = raw::send(&env, Method::GET, "/healthz", &[], None).await;
    health.expect_status(200, "the server still answers");
    let logs = env.server.stdout_logs() + &env.server.stderr_logs();
    assert!(
        !logs.contains("1101011990030745"),
        "the id number was logged"
    );
    assert!(!logs.contains("panicked"), "a handler panicked: {logs}");
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unserved_methods_are_405_problems_with_allow_and_unknown_paths_404() {
    let env = TestEnvBuilder::embedded().start().await;
    let cases = [
        (Method::DELETE, "/v1/onboardings", "POST"),
        (Method::PUT, "/v1/onboardings/wf_1", "GET"),
        (Method::GET, "/v1/admin/workflows/wf_1/cancel", "POST"),
        (Method::PATCH, "/v1/security-prompts", "GET"),
        (Method::POST, "/healthz", "GET"),
        (Method::DELETE, "/sandbox/ledger", "GET"),
        (Method::GET, "/sandbox/wallet/users", "POST"),
    ];
    for (method, path, allow) in cases {
        let what = format!("{method} {path}");
        let reply = raw::send(&env, method, path, &[BANK], None).await;
        reply.expect_problem(405, "method_not_allowed", &what);
        assert_eq!(reply.header("allow"), Some(allow), "{what}");
    }
    for path in ["/v1/nothing", "/sandbox/nothing", "/v2/onboardings"] {
        let reply = raw::send(&env, Method::GET, path, &[BANK], None).await;
        reply.expect_problem(404, "not_found", path);
    }

    let sandbox = TestEnv::start_sandbox_process(env.dir()).await;
    let reply = reqwest::Client::new()
        .delete(format!("{}/sandbox/ledger", sandbox.base_url()))
        .send()
        .await
        .expect("sandbox");
    assert_eq!(reply.status(), 405, "onboard sandbox");
    assert_eq!(reply.headers()["allow"], "GET");
    assert_eq!(reply.headers()["content-type"], "application/problem+json");
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_over_64_kib_are_413_problems_with_or_without_a_length() {
    let mut env = TestEnvBuilder::redis().start().await;
    let limit = 64 * 1024;
    let mut oversized = br#"{"name":""#.to_vec();
    oversized.resize(limit + 1, b'a');
    for path in ["/v1/onboardings", "/sandbox/wallet/users"] {
        let reply = raw::send(
            &env,
            Method::POST,
            path,
            &[BANK, JSON],
            Some(oversized.clone()),
        )
        .await;
        reply.expect_problem(413, "payload_too_large", &format!("{path} with a length"));
        let reply = raw::post_chunked(&env, path, &[BANK], limit + 4096).await;
        reply.expect_problem(413, "payload_too_large", &format!("{path} chunked"));
    }
    let gzip_bomb = gzip(&vec![b' '; 4 * limit]);
    let reply = raw::send(
        &env,
        Method::POST,
        "/v1/onboardings",
        &[BANK, JSON, ("Content-Encoding", "gzip")],
        Some(gzip_bomb),
    )
    .await;
    reply.expect_problem(
        413,
        "payload_too_large",
        "a small body that decodes too large",
    );
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn json_endpoints_need_a_json_content_type_and_bodiless_posts_need_none() {
    let env = TestEnvBuilder::embedded().start().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut headers = vec![BANK];
        headers.extend(content_type.map(|value| ("Content-Type", value)));
        let what = format!("Content-Type {content_type:?}");
        let reply = raw::send(
            &env,
            Method::POST,
            "/v1/onboardings",
            &headers,
            Some(onboarding_bytes()),
        )
        .await;
        reply.expect_problem(415, "unsupported_media_type", &what);
        let fixture = json!({"name": "Li Lei", "id_number": "110101199003074514",
            "phone": "+8613800138000"});
        let reply = raw::send(
            &env,
            Method::POST,
            "/sandbox/wallet/users",
            &headers[1..],
            Some(fixture.to_string().into_bytes()),
        )
        .await;
        reply.expect_problem(415, "unsupported_media_type", &format!("sandbox, {what}"));
    }
    for content_type in [
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "Application/Json;charset=UTF-8",
    ] {
        let reply = raw::send(
            &env,
            Method::POST,
            "/v1/onboardings",
            &[BANK, ("Content-Type", content_type)],
            Some(onboarding_bytes()),
        )
        .await;
        reply.expect_status(202, content_type);
    }

    let id = env
        .api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    env.api.wait_for_prompt(&id).await;
    let operator = ("Authorization", "Bearer admin_test_key");
    let path = format!("/v1/admin/workflows/{id}/cancel");
    let reply = raw::send(&env, Method::POST, &path, &[operator], None).await;
    reply.expect_status(200, "cancel with no body and no content type");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bearer_scheme_is_case_insensitive() {
    let env = TestEnvBuilder::embedded().start().await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEARER"] {
        let authorization = format!("{scheme} {BANK_KEY}");
        let reply = raw::send(
            &env,
            Method::GET,
            "/v1/onboardings/wf_unknown",
            &[("Authorization", &authorization)],
            None,
        )
        .await;
        reply.expect_problem(404, "not_found", &authorization);
    }
    let basic = format!("Basic {BANK_KEY}");
    let reply = raw::send(
        &env,
        Method::GET,
        "/v1/onboardings/wf_unknown",
        &[("Authorization", &basic)],
        None,
    )
    .await;
    reply.expect_problem(401, "unauthenticated", "another scheme");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_authorization_or_idempotency_key_is_refused() {
    let mut env = TestEnvBuilder::redis().start().await;
    let reply = raw::send(
        &env,
        Method::GET,
        "/v1/onboardings/wf_1",
        &[BANK, BANK],
        None,
    )
    .await;
    check_validation_error(&reply, "Authorization", "Authorization twice").unwrap();
    let reply = raw::send(
        &env,
        Method::POST,
        "/v1/onboardings",
        &[BANK, WALLET, JSON],
        Some(onboarding_bytes()),
    )
    .await;
    check_validation_error(&reply, "Authorization", "two different keys").unwrap();
    for keys in [["k-1", "k-2"], ["k-1", "k-1"]] {
        let reply = raw::send(
            &env,
            Method::POST,
            "/v1/onboardings",
            &[
                BANK,
                JSON,
                ("Idempotency-Key", keys[0]),
                ("Idempotency-Key", keys[1]),
            ],
            Some(onboarding_bytes()),
        )
        .await;
        check_validation_error(&reply, "Idempotency-Key", &format!("keys {keys:?}")).unwrap();
    }
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn content_encodings_are_decoded_or_answered_with_problems() {
    let env = TestEnvBuilder::embedded().start().await;
    let reply = raw::send(
        &env,
        Method::POST,
        "/v1/onboardings",
        &[BANK, JSON, ("Content-Encoding", "gzip")],
        Some(gzip(&onboarding_bytes())),
    )
    .await;
    reply.expect_status(202, "a gzip body");
    let cases: [(&str, Vec<u8>, u16, &str); 5] = [
        (
            "gzip",
            b"{\"not\": \"gzip\"}".to_vec(),
            400,
            "validation_failed",
        ),
        ("deflate", vec![0xff; 32], 400, "validation_failed"),
        ("br", onboarding_bytes(), 415, "unsupported_media_type"),
        (
            "x-unknown",
            onboarding_bytes(),
            415,
            "unsupported_media_type",
        ),
        (
            "gzip, gzip",
            gzip(&gzip(&onboarding_bytes())),
            415,
            "unsupported_media_type",
        ),
    ];
    for (coding, body, status, code) in cases {
        for path in ["/v1/onboardings", "/sandbox/wallet/users"] {
            let reply = raw::send(
                &env,
                Method::POST,
                path,
                &[BANK, JSON, ("Content-Encoding", coding)],
                Some(body.clone()),
            )
            .await;
            let what = format!("{path} with Content-Encoding {coding}");
            reply.expect_problem(status, code, &what);
            assert!(
                !reply.text.contains("Some(") && !reply.text.contains("Custom {"),
                "{what}: {}",
                reply.text
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_role_is_checked_before_the_query_path_or_body() {
    let mut env = TestEnvBuilder::redis().start().await;
    let wrong_role = [
        ("/v1/security-prompts?bogus=1", BANK_KEY),
        ("/v1/security-prompts", BANK_KEY),
        ("/v1/admin/workflows?bogus=1", WALLET_KEY),
        ("/v1/admin/workflows?limit=many&status=nonsense", BANK_KEY),
        ("/v1/onboardings/wf_1?wait=abc", WALLET_KEY),
        ("/v1/credit-applications/ca_1?bogus=1", BANK_KEY),
    ];
    for (path, key) in wrong_role {
        let reply = env.api.send(Method::GET, path, Some(key), None, None).await;
        reply.expect_problem(403, "forbidden", path);
        assert!(
            !reply.text.contains("payment_account_id"),
            "{path}: {}",
            reply.text
        );
    }
    let right_role = env
        .api
        .send(
            Method::GET,
            "/v1/security-prompts?bogus=1",
            Some(WALLET_KEY),
            None,
            None,
        )
        .await;
    right_role.expect_problem(400, "validation_failed", "the wallet's bogus query");

    let bodies = [
        (vec![WALLET, JSON], b"{".to_vec()),
        (vec![WALLET], onboarding_bytes()),
        (vec![WALLET, JSON], vec![b' '; 70 * 1024]),
    ];
    for (headers, body) in bodies {
        let reply = raw::send(&env, Method::POST, "/v1/onboardings", &headers, Some(body)).await;
        reply.expect_problem(403, "forbidden", "a wallet's bad body to a bank endpoint");
    }
    let reply = raw::send(
        &env,
        Method::POST,
        "/v1/credit-applications/ca_1/savings-account",
        &[BANK],
        Some(b"not json".to_vec()),
    )
    .await;
    reply.expect_problem(403, "forbidden", "a bank's bad body to a wallet endpoint");
    let reply = raw::send(
        &env,
        Method::POST,
        "/v1/admin/workflows/wf_1/retry",
        &[BANK],
        None,
    )
    .await;
    reply.expect_problem(403, "forbidden", "a bank's operator call");
    assert_nothing_stored(&mut env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_takes_only_0_to_30_seconds() {
    let env = TestEnvBuilder::embedded().start().await;
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    env.api.wait_for_prompt(&id).await;
    for wait in [
        "-1", "31", "30.5", "NaN", "nan", "inf", "-inf", "1e309", "abc", "",
    ] {
        let path = format!("/v1/onboardings/{id}?wait={wait}");
        let reply = env
            .api
            .send(Method::GET, &path, Some(BANK_KEY), None, None)
            .await;
        check_validation_error(&reply, "wait", &format!("wait={wait}")).unwrap();
    }
    for wait in ["0", "0.5", "30"] {
        let path = format!("/v1/onboardings/{id}?wait={wait}");
        let reply = env
            .api
            .send(Method::GET, &path, Some(BANK_KEY), None, None)
            .await;
        reply.expect_status(200, &format!("wait={wait}"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn names_of_invisible_characters_are_refused_and_normal_forms_match() {
    let mut env = TestEnvBuilder::redis().start().await;
    let invisible = [
        "\u{200B}",
        "\u{200E}\u{200F}",
        "\u{202E}",
        "\u{2066}\u{2069}",
        "\u{FEFF}",
        "\u{00AD}",
        " \u{200B}\u{3000}",
    ];
    let applicant = Person {
        name: "Zo\u{00E9} Li".to_owned(),
        ..person()
    };
    let account = env
        .sandbox
        .create_wallet_user_with(&applicant, None, None)
        .await;
    let suffix = id_suffix(&applicant, 6);
    for name in invisible {
        let mut body = onboarding_body(&person(), &card_number());
        body["name"] = json!(name);
        let reply = env
            .api
            .send(
                Method::POST,
                "/v1/onboardings",
                Some(BANK_KEY),
                None,
                Some(&body),
            )
            .await;
        check_validation_error(&reply, "name", &format!("onboarding name {name:?}")).unwrap();
        let body = credit_application_body(&account, name, &suffix);
        let reply = env.api.apply_for_credit_reply(&body).await;
        check_validation_error(&reply, "name", &format!("credit name {name:?}")).unwrap();
        let fixture = json!({"name": name, "id_number": "110101199003074514",
            "phone": "+8613800138000"});
        let reply = raw::send(
            &env,
            Method::POST,
            "/sandbox/wallet/users",
            &[JSON],
            Some(fixture.to_string().into_bytes()),
        )
        .await;
        reply.expect_status(400, &format!("sandbox name {name:?}"));
    }
    assert_nothing_stored(&mut env).await;

    for typed in ["Zoe\u{0301} Li", "Ｚｏé Ｌｉ"] {
        let body = credit_application_body(&account, typed, &suffix);
        let reply = env.api.apply_for_credit_reply(&body).await;
        reply.expect_status(202, &format!("the record's name typed as {typed:?}"));
    }
    let reply = env
        .api
        .apply_for_credit_reply(&credit_application_body(&account, "Zoe Li", &suffix))
        .await;
    reply.expect_problem(422, "real_name_mismatch", "another name");
}
