//! `/metrics` after sagas: the latency histograms (party calls, sagas, API requests) with
//! their buckets, labelled by bounded values only, and the gauges read from the store.

use onboard_tests::TestEnvBuilder;
use reqwest::Method;

use crate::flows::start_until_prompt;

#[tokio::test(flavor = "multi_thread")]
async fn histograms_and_gauges_are_served_after_sagas() {
    let env = TestEnvBuilder::redis().start().await;
    let done = start_until_prompt(&env).await;
    env.api
        .decide(&done.prompt_id, "approve")
        .await
        .expect_status(200, "approve");
    let completed = env.api.wait_final(&done.id).await;
    assert_eq!(completed["status"], "completed", "{completed}");
    let waiting = start_until_prompt(&env).await;
    env.api
        .send(Method::GET, "/v1/no-such-route/wf_1", None, None, None)
        .await
        .expect_status(404, "an unmatched path");

    let metrics = env
        .api
        .send(Method::GET, "/metrics", None, None, None)
        .await;
    metrics.expect_status(200, "GET /metrics");
    let text = metrics.text.as_str();
    for series in [
        "# TYPE onboard_party_call_duration_seconds histogram",
        "onboard_party_call_duration_seconds_bucket{operation=\"register_account\",outcome=\"succeeded\",party=\"wallet\",le=\"0.005\"}",
        "onboard_party_call_duration_seconds_bucket{operation=\"verify_card\",outcome=\"succeeded\",party=\"bank\",le=\"+Inf\"} 2",
        "onboard_party_call_duration_seconds_count{operation=\"bind_card\",outcome=\"succeeded\",party=\"wallet\"} 2",
        "# TYPE onboard_saga_duration_seconds histogram",
        "onboard_saga_duration_seconds_bucket{end=\"completed\",kind=\"payment_account_registration\",le=\"+Inf\"} 1",
        "onboard_saga_duration_seconds_count{end=\"completed\",kind=\"payment_account_registration\"} 1",
        "# TYPE onboard_http_request_duration_seconds histogram",
        "onboard_http_request_duration_seconds_bucket{route=\"/v1/onboardings\",status=\"202\",le=\"+Inf\"} 2",
        "onboard_http_request_duration_seconds_bucket{route=\"/v1/onboardings/{id}\",status=\"200\",le=\"60\"}",
        "onboard_http_request_duration_seconds_bucket{route=\"/v1/security-prompts/{id}/decision\",status=\"200\",le=\"+Inf\"} 1",
        "onboard_http_request_duration_seconds_count{route=\"unmatched\",status=\"404\"} 1",
        "onboard_sagas_created_total{kind=\"payment_account_registration\"} 2",
        "onboard_waiting_sagas 1",
        "onboard_paused_sagas 0",
        "# TYPE onboard_live_actors gauge",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    for raw in [done.id.as_str(), waiting.id.as_str(), "no-such-route"] {
        assert!(!text.contains(raw), "{raw} in the metrics:\n{text}");
    }
}
