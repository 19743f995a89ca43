//! The operators' side: listing workflows, cancelling a waiting saga, and the endpoints a
//! platform scrapes (`/metrics`, `/openapi.json`).

use onboard_tests::{TestEnvBuilder, BANK_KEY, OPERATOR_KEY};
use reqwest::Method;

use crate::flows::start_until_prompt;

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_cancels_a_waiting_saga_once_and_it_compensates() {
    let env = TestEnvBuilder::redis().start().await;
    let prompted = start_until_prompt(&env).await;
    let path = format!("/v1/admin/workflows/{}/cancel", prompted.id);

    let reply = env
        .api
        .send(Method::POST, &path, Some(BANK_KEY), None, None)
        .await;
    reply.expect_problem(403, "forbidden", "a bank key on an operator endpoint");

    let cancel = |key: &'static str| {
        env.api
            .send(Method::POST, &path, Some(OPERATOR_KEY), Some(key), None)
    };
    let first = cancel("cancel-1").await;
    first.expect_status(200, "cancel");
    let replay = cancel("cancel-1").await;
    replay.expect_status(200, "replayed cancel");
    let again = cancel("cancel-2").await;
    again.expect_problem(409, "invalid_state", "cancelling a cancelled saga");

    let done = env.api.wait_final(&prompted.id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert_eq!(done["error"]["code"], "cancelled", "{done}");
    let ledger = env.sandbox.ledger().await;
    let effects = ledger.summary(&prompted.id);
    assert_eq!(effects.get("unbind_card"), Some(&1), "{effects:?}");
    assert_eq!(effects.get("close_account"), Some(&1), "{effects:?}");

    let listed = env
        .api
        .send(
            Method::GET,
            "/v1/admin/workflows?status=compensated&kind=payment_account_registration",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    listed.expect_status(200, "operator listing");
    let ids: Vec<&str> = listed.body["workflows"]
        .as_array()
        .expect("workflows array")
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    assert!(ids.contains(&prompted.id.as_str()), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_and_the_openapi_document_are_served() {
    let env = TestEnvBuilder::redis().start().await;
    start_until_prompt(&env).await;

    let client = reqwest::Client::new();
    let metrics = client
        .get(format!("{}/metrics", env.api.base()))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains("onboard_sagas_created_total{kind=\"payment_account_registration\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("onboard_live_actors"), "{metrics}");

    let document: serde_json::Value = client
        .get(format!("{}/openapi.json", env.api.base()))
        .send()
        .await
        .expect("GET /openapi.json")
        .json()
        .await
        .expect("OpenAPI JSON");
    assert!(document["openapi"]
        .as_str()
        .unwrap_or_default()
        .starts_with("3."));
    assert!(
        document["paths"]["/v1/onboardings"].is_object(),
        "{document}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_body_is_refused_as_a_problem() {
    let env = TestEnvBuilder::redis().start().await;
    let body = format!("{{\"bank_user_ref\":\"{}\"}}", "a".repeat(70 * 1024));
    let reply = env
        .api
        .post_raw("/v1/onboardings", Some(BANK_KEY), &body)
        .await;
    reply.expect_problem(413, "payload_too_large", "a 70 KiB body");
}
