//! Path ids through the real binary: an id that is not of a shape Onboard makes names
//! nothing, so it answers 404 `not_found` as an unknown one does, before the key or the
//! body is looked at, and leaves nothing behind.

use onboard_tests::{card_number, TestEnvBuilder, BANK_KEY, OPERATOR_KEY, WALLET_KEY};
use reqwest::Method;
use serde_json::json;

use crate::validation::assert_nothing_stored;

/// A well-formed workflow id that names no workflow.
const UNKNOWN: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364";

/// Workflow ids of other shapes (percent-encoded where a path needs it).
const MALFORMED_WORKFLOWS: [&str; 6] = [
    "wf_1",
    "does-not-exist",
    "WF_0C8E5D6B2F7A4E91B3D5A7C9E1F20364",
    "cr_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
    "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-0000000000000000",
    "%F0%9F%99%82",
];

#[tokio::test(flavor = "multi_thread")]
async fn ids_of_another_shape_are_404_and_store_nothing() {
    let mut env = TestEnvBuilder::redis().start().await;
    let card = json!({ "card_number": card_number() });
    let decision = json!({ "decision": "approve" });
    for id in MALFORMED_WORKFLOWS {
        let cases = [
            (Method::GET, format!("/v1/onboardings/{id}"), BANK_KEY, None),
            (
                Method::GET,
                format!("/v1/credit-applications/{id}?wait=1"),
                WALLET_KEY,
                None,
            ),
            (
                Method::POST,
                format!("/v1/credit-applications/{id}/savings-account"),
                WALLET_KEY,
                Some(&card),
            ),
            (
                Method::POST,
                format!("/v1/admin/workflows/{id}/cancel"),
                OPERATOR_KEY,
                None,
            ),
            (
                Method::POST,
                format!("/v1/admin/workflows/{id}/retry"),
                OPERATOR_KEY,
                None,
            ),
        ];
        for (method, path, key, body) in cases {
            let reply = env
                .api
                .send(method.clone(), &path, Some(key), Some("ids-1"), body)
                .await;
            reply.expect_problem(404, "not_found", &format!("{method} {path}"));
        }
    }
    let prompts = [
        UNKNOWN.to_owned(),
        format!("{UNKNOWN}-1"),
        format!("{UNKNOWN}-9F86D081884C7D65"),
        format!("{UNKNOWN}-9f86d081884c7d65-0"),
        "wf_1-9f86d081884c7d65".to_owned(),
        "-9f86d081884c7d65".to_owned(),
    ];
    for id in prompts {
        let path = format!("/v1/security-prompts/{id}/decision");
        let reply = env
            .api
            .send(
                Method::POST,
                &path,
                Some(WALLET_KEY),
                Some("ids-2"),
                Some(&decision),
            )
            .await;
        reply.expect_problem(404, "not_found", &path);
    }
    // A malformed id is 404 even where the body would be refused.
    let path = format!(
        "/v1/credit-applications/{}/savings-account",
        MALFORMED_WORKFLOWS[0]
    );
    let bad_card = json!({ "card_number": "12" });
    let reply = env
        .api
        .send(Method::POST, &path, Some(WALLET_KEY), None, Some(&bad_card))
        .await;
    reply.expect_problem(404, "not_found", "malformed id and a bad card");

    assert_nothing_stored(&mut env).await;
    let records: Vec<String> = env
        .redis()
        .keys()
        .into_iter()
        .filter(|k| k.contains(":idem:"))
        .collect();
    assert!(records.is_empty(), "idempotency records kept: {records:?}");
}
