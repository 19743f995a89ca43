//! OpenTelemetry traces: one trace per saga, continued across a kill -9. The test runs its
//! own OTLP/HTTP receiver on loopback and the parties in a sandbox process of their own,
//! starts a saga with a caller's `traceparent`, kills the orchestrator while the saga waits
//! for its security prompt, restarts it (exporting OTLP/JSON instead of protobuf, with a
//! batch delay so long that its spans can only arrive through the flush of a graceful
//! stop), rejects the prompt so that the saga compensates, and reads the span tree.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use onboard_tests::{
    card_number, onboard_binary, onboarding_body, person, OtlpReceiver, ReceivedSpan, TestEnv,
    TestEnvBuilder, BANK_KEY,
};
use serde_json::Value;

use crate::flows::str_at;

/// The caller's trace and span, as its `traceparent` names them.
const CALLER_TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
const CALLER_SPAN: &str = "b7ad6b7169203331";
/// How long spans may take to reach the receiver.
const EXPORTED_WITHIN: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn one_trace_follows_a_saga_across_a_kill_9_and_a_restart() {
    let receiver = OtlpReceiver::start();
    let sandbox_dir = tempfile::Builder::new()
        .prefix("onboard-e2e-otel-sandbox-")
        .tempdir()
        .expect("tempdir");
    let sandbox = TestEnv::start_sandbox_process(sandbox_dir.path()).await;
    let mut env = TestEnvBuilder::redis()
        .sandbox_url(sandbox.base_url())
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint())
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .env("OTEL_BSP_SCHEDULE_DELAY", 100)
        .start()
        .await;

    // First lifetime: the forward steps, one of them retried, up to the prompt.
    env.sandbox
        .inject_fault("wallet", "register_account", "error", 1, None)
        .await;
    let person = person();
    let card = card_number();
    let body = onboarding_body(&person, &card);
    let id = start_with_traceparent(&env, &body).await;
    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    let prompt_id = str_at(&waiting, &["waiting_for", "prompt_id"]);
    let payment_account_id = str_at(&waiting, &["result", "payment_account_id"]);
    receiver
        .wait_for("the forward steps' spans", EXPORTED_WITHIN, |spans| {
            of_saga(spans, &id).any(|s| s.attribute("onboard.step") == Some("security_rule"))
        })
        .await;

    // Second lifetime, after a kill -9: the compensation, one of its calls retried; its
    // spans are only flushed when the process stops, and go as OTLP/JSON.
    env.server.kill9();
    env.server.set_env("OTEL_BSP_SCHEDULE_DELAY", 600_000);
    env.server
        .set_env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    env.server.restart().await;
    env.sandbox
        .inject_fault("wallet", "unbind_card", "error", 1, None)
        .await;
    env.api
        .decide(&prompt_id, "reject")
        .await
        .expect_status(200, "reject the prompt");
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    assert!(
        env.server.terminate(),
        "onboard serve did not stop on SIGTERM"
    );
    let spans = receiver
        .wait_for("the compensation's spans", EXPORTED_WITHIN, |spans| {
            of_saga(spans, &id).any(|s| s.attribute("onboard.step") == Some("close_account"))
        })
        .await;

    let saga: Vec<&ReceivedSpan> = of_saga(&spans, &id).collect();
    check_tree(&saga, &id);
    check_attempts(&saga);
    check_lifetimes(&saga);
    let personal = [
        person.name.as_str(),
        person.id_number.as_str(),
        person.phone.as_str(),
        card.as_str(),
        body["bank_user_ref"].as_str().unwrap_or_default(),
        payment_account_id.as_str(),
    ];
    for span in &spans {
        for value in span.attributes.values().chain(span.resource.values()) {
            for data in personal {
                assert!(!value.contains(data), "{data:?} in span {span:#?}");
            }
        }
    }
}

#[test]
fn a_protocol_that_is_not_built_in_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(onboard_binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn onboard serve");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("poll the child").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("onboard serve started with a gRPC exporter asked for");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the child's output");
    assert!(!output.status.success());
    let logs = String::from_utf8_lossy(&output.stdout);
    assert!(
        logs.contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported"),
        "{logs}"
    );
}

/// `POST /v1/onboardings` with the caller's `traceparent`; the workflow id.
async fn start_with_traceparent(env: &TestEnv, body: &Value) -> String {
    let reply = reqwest::Client::new()
        .post(format!("{}/v1/onboardings", env.api.base()))
        .bearer_auth(BANK_KEY)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .header("traceparent", format!("00-{CALLER_TRACE}-{CALLER_SPAN}-01"))
        .json(body)
        .send()
        .await
        .expect("POST /v1/onboardings");
    assert_eq!(reply.status().as_u16(), 202);
    let created: Value = reply.json().await.expect("workflow JSON");
    str_at(&created, &["id"])
}

/// The spans of saga `id`.
fn of_saga<'a>(spans: &'a [ReceivedSpan], id: &'a str) -> impl Iterator<Item = &'a ReceivedSpan> {
    spans
        .iter()
        .filter(move |span| span.attribute("onboard.saga.id") == Some(id))
}

/// One root, a child of the caller's span; every other span a child of the root; all in
/// the caller's trace, with the saga's attributes.
fn check_tree(saga: &[&ReceivedSpan], id: &str) {
    let roots: Vec<_> = saga.iter().filter(|s| s.name == "onboard.saga").collect();
    assert_eq!(roots.len(), 1, "{saga:#?}");
    let root = roots[0];
    assert_eq!(root.parent_span_id, CALLER_SPAN, "{root:#?}");
    assert_eq!(
        root.attribute("onboard.outcome"),
        Some("created"),
        "{root:#?}"
    );
    for span in saga {
        assert_eq!(span.trace_id, CALLER_TRACE, "{span:#?}");
        assert_eq!(span.attribute("onboard.saga.id"), Some(id), "{span:#?}");
        assert_eq!(
            span.attribute("onboard.saga.kind"),
            Some("payment_account_registration"),
            "{span:#?}"
        );
        if span.span_id == root.span_id {
            continue;
        }
        assert!(
            ["onboard.step", "onboard.compensation"].contains(&span.name.as_str()),
            "{span:#?}"
        );
        assert_eq!(span.parent_span_id, root.span_id, "{span:#?}");
        for key in ["onboard.step", "onboard.attempt", "onboard.party"] {
            assert!(span.attribute(key).is_some(), "{key} missing: {span:#?}");
        }
        assert!(
            ["succeeded", "refused", "transient", "unexpected"]
                .contains(&span.attribute("onboard.outcome").unwrap_or_default()),
            "{span:#?}"
        );
    }
}

/// Every attempt has its span, numbered as the history numbers it, with its outcome.
fn check_attempts(saga: &[&ReceivedSpan]) {
    let attempts: BTreeSet<(&str, &str, &str, &str)> = saga
        .iter()
        .filter(|s| s.name != "onboard.saga")
        .map(|s| {
            (
                s.name.as_str(),
                s.attribute("onboard.step").unwrap_or_default(),
                s.attribute("onboard.attempt").unwrap_or_default(),
                s.attribute("onboard.outcome").unwrap_or_default(),
            )
        })
        .collect();
    let expected: BTreeSet<(&str, &str, &str, &str)> = [
        ("onboard.step", "lookup_person", "1", "succeeded"),
        ("onboard.step", "register_payment_account", "1", "transient"),
        ("onboard.step", "register_payment_account", "2", "succeeded"),
        ("onboard.step", "verify_card", "1", "succeeded"),
        ("onboard.step", "bind_card", "1", "succeeded"),
        ("onboard.step", "security_rule", "1", "succeeded"),
        ("onboard.compensation", "unbind_card", "1", "transient"),
        ("onboard.compensation", "unbind_card", "2", "succeeded"),
        ("onboard.compensation", "close_account", "1", "succeeded"),
    ]
    .into_iter()
    .collect();
    assert_eq!(attempts, expected, "{saga:#?}");
}

/// The forward steps were exported by the first process and the compensation by the
/// second, each naming itself as the `onboard` service's instance.
fn check_lifetimes(saga: &[&ReceivedSpan]) {
    let instance = |name: &str| -> BTreeSet<&str> {
        saga.iter()
            .filter(|s| s.name == name)
            .map(|s| {
                assert_eq!(
                    s.resource.get("service.name").map(String::as_str),
                    Some("onboard"),
                    "{s:#?}"
                );
                s.resource
                    .get("service.instance.id")
                    .map_or("", String::as_str)
            })
            .collect()
    };
    let first = instance("onboard.step");
    let second = instance("onboard.compensation");
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(second.len(), 1, "{second:?}");
    assert_ne!(first, second, "both lifetimes exported as one instance");
    assert_eq!(instance("onboard.saga"), first);
    assert!(!first.iter().any(|id| id.is_empty()), "{first:?}");
}
