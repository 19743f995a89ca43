//! A party that keeps failing: retries are bounded, the saga pauses with its trouble in
//! view, and an operator's cancel, pause and resume are answered at once, also while a
//! call is being retried. A decision that arrives after its prompt's deadline is refused
//! even before the timer fires.

use std::time::Duration;

use onboard_tests::{
    account, binding, card_number, onboarding_body, person, Person, TestEnv, TestEnvBuilder,
    OPERATOR_KEY,
};
use reqwest::Method;
use serde_json::Value;

use crate::flows::{
    approve_until_final, assert_registered_once, history, start_with_failing, str_at,
};

/// How long an operator's action may take, even while a call is being retried.
const OPERATOR_ANSWER: Duration = Duration::from_secs(2);

/// An orchestrator whose retries of one step stop after four attempts, quickly.
async fn bounded_env() -> TestEnv {
    TestEnvBuilder::redis()
        .env("ONBOARD_CONNECTORS__MAX_ATTEMPTS", 4)
        .env("ONBOARD_CONNECTORS__RETRY_MAX_MS", 100)
        .start()
        .await
}

/// The workflow as the bank reads it now.
async fn now(env: &TestEnv, id: &str) -> Value {
    let reply = env.api.try_get_onboarding(id, 0).await.expect("get");
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body
}

/// Reads the workflow until `done` holds, for at most ten seconds.
async fn until(env: &TestEnv, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let workflow = now(env, id).await;
        if done(&workflow) {
            return workflow;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not {what}: {workflow}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// An operator's `action` on workflow `id`, which must answer within [`OPERATOR_ANSWER`].
async fn operate(env: &TestEnv, id: &str, action: &str) -> Value {
    let path = format!("/v1/admin/workflows/{id}/{action}");
    let send = env
        .api
        .send(Method::POST, &path, Some(OPERATOR_KEY), None, None);
    let reply = tokio::time::timeout(OPERATOR_ANSWER, send)
        .await
        .unwrap_or_else(|_| panic!("{action} took longer than {OPERATOR_ANSWER:?}"));
    reply.expect_status(200, action);
    reply.body.clone()
}

/// Starts a registration whose `bind_card` keeps failing, and waits until it paused.
async fn paused_on_bind_card(env: &TestEnv) -> (String, Person) {
    let (id, person) = start_with_failing(env, "bind_card", "error", 1000).await;
    let paused = until(env, &id, "paused", |w| w["paused"] == true).await;
    assert_eq!(paused["status"], "running", "{paused}");
    let retrying = &paused["retrying"];
    assert_eq!(retrying["step"], "bind_card", "{paused}");
    assert_eq!(retrying["attempts"], 4, "{paused}");
    assert_eq!(
        retrying["last_error"]["code"], "party_unavailable",
        "{paused}"
    );
    assert_eq!(retrying["next_attempt_at"], Value::Null, "{paused}");
    (id, person)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_party_pauses_the_saga_and_a_cancel_resolves_the_step_before_undoing() {
    let env = bounded_env().await;
    let (id, person) = paused_on_bind_card(&env).await;
    let effects = env.sandbox.ledger().await.summary(&id);
    assert_eq!(
        effects.get("close_account"),
        None,
        "never compensates on its own"
    );

    let listed = env
        .api
        .send(
            Method::GET,
            "/v1/admin/workflows?paused=true",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    listed.expect_status(200, "list paused");
    let ids: Vec<&str> = listed.body["workflows"]
        .as_array()
        .expect("workflows")
        .iter()
        .filter_map(|w| w["id"].as_str())
        .collect();
    assert!(ids.contains(&id.as_str()), "{}", listed.text);

    let metrics = env
        .api
        .send(Method::GET, "/metrics", None, None, None)
        .await;
    assert!(
        metrics.text.contains("onboard_paused_sagas 1"),
        "{}",
        metrics.text
    );

    let cancelled = operate(&env, &id, "cancel").await;
    assert_eq!(cancelled["paused"], false, "{cancelled}");
    env.sandbox.clear_faults().await;
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");

    let effects = env.sandbox.ledger().await.summary(&id);
    assert_eq!(
        effects.get("bind_card"),
        Some(&1),
        "resolved first: {effects:?}"
    );
    assert_eq!(effects.get("unbind_card"), Some(&1), "{effects:?}");
    assert_eq!(effects.get("close_account"), Some(&1), "{effects:?}");
    let held = env.sandbox.wallet_person(&person.id_number).await;
    let ledger = env.sandbox.ledger().await;
    let bound = ledger.subject(&id, "bind_card").unwrap();
    assert_eq!(binding(&held, &bound).unwrap()["status"], "removed");
    let registered = ledger.subject(&id, "register_account").unwrap();
    assert_eq!(account(&held, &registered).unwrap()["status"], "closed");
}

#[tokio::test(flavor = "multi_thread")]
async fn resume_after_the_party_recovers_completes_the_saga() {
    let env = bounded_env().await;
    let (id, _) = paused_on_bind_card(&env).await;
    env.sandbox.clear_faults().await;
    let resumed = operate(&env, &id, "resume").await;
    assert_eq!(resumed["paused"], false, "{resumed}");
    assert_eq!(
        resumed["retrying"],
        Value::Null,
        "a fresh budget: {resumed}"
    );

    let done = approve_until_final(&env, &id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_registered_once(&env.sandbox.ledger().await, &id);

    let events = history(&env, &id).await;
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"created"), "{kinds:?}");
    assert_eq!(
        kinds.iter().filter(|k| **k == "attempt_failed").count(),
        3,
        "{kinds:?}"
    );
    assert!(kinds.contains(&"retries_exhausted"), "{kinds:?}");
    assert!(kinds.contains(&"resumed"), "{kinds:?}");
    let bound = events
        .iter()
        .find(|e| e["step"] == "bind_card" && e["outcome"] == "succeeded")
        .expect("bind_card's success is in the history");
    assert_eq!(bound["attempt"], 1, "a fresh budget after resume: {bound}");
    let failed = events
        .iter()
        .find(|e| e["type"] == "attempt_failed")
        .expect("a failed attempt");
    assert_eq!(failed["outcome"], "transient", "{failed}");
    assert_eq!(failed["step"], "bind_card", "{failed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_pauses_and_resumes_a_saga_and_a_final_one_refuses() {
    let env = bounded_env().await;
    let (id, _) = start_with_failing(&env, "bind_card", "error", 1000).await;
    until(&env, &id, "retrying", |w| {
        w["retrying"]["step"] == "bind_card"
    })
    .await;
    let paused = operate(&env, &id, "pause").await;
    assert_eq!(paused["paused"], true, "{paused}");
    let ledger_then = env.sandbox.ledger().await.summary(&id);
    env.sandbox.clear_faults().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let still = now(&env, &id).await;
    assert_eq!(still["paused"], true, "{still}");
    assert_eq!(
        env.sandbox.ledger().await.summary(&id),
        ledger_then,
        "no party call while paused"
    );

    operate(&env, &id, "resume").await;
    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    operate(&env, &id, "cancel").await;
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    for action in ["pause", "resume"] {
        env.api
            .send(
                Method::POST,
                &format!("/v1/admin/workflows/{id}/{action}"),
                Some(OPERATOR_KEY),
                None,
                None,
            )
            .await
            .expect_problem(409, "invalid_state", action);
    }
    env.api
        .send(
            Method::GET,
            "/v1/admin/workflows/wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364/history",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await
        .expect_problem(404, "not_found", "history of no saga");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_decision_after_the_deadline_finds_the_prompt_closed_before_the_timer_fires() {
    let env = TestEnvBuilder::redis()
        .prompt_ttl_secs(1)
        .env("ONBOARD_TIMERS__POLL_INTERVAL_MS", 600_000)
        .start()
        .await;
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    let waiting = env.api.wait_for_prompt(&id).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let still = now(&env, &id).await;
    assert_eq!(
        still["status"], "waiting",
        "the timer has not fired: {still}"
    );
    env.api
        .try_decide(
            &str_at(&waiting, &["waiting_for", "prompt_id"]),
            "approve",
            None,
        )
        .await
        .expect("decide")
        .expect_problem(409, "prompt_closed", "late decision");
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_fails_readiness_at_once_and_lets_the_call_in_flight_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sandbox = TestEnv::start_sandbox_process(dir.path()).await;
    let mut env = TestEnvBuilder::redis()
        .sandbox_url(sandbox.base_url())
        .env("ONBOARD_CONNECTORS__TIMEOUT_MS", 5000)
        .start()
        .await;
    env.sandbox
        .inject_fault("wallet", "bind_card", "timeout", 1, Some(1500))
        .await;
    let id = env
        .api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while env.sandbox.ledger().await.count(&id, "bind_card") == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "bind_card never sent"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    env.server.send_sigterm();
    // The signal is handled a moment after `kill` returns; readiness fails then, while
    // the call in flight (held 1.5 s) is still being waited for.
    let signalled = tokio::time::Instant::now();
    let ready = loop {
        let ready = env.api.send(Method::GET, "/readyz", None, None, None).await;
        if ready.status != 200 || signalled.elapsed() > Duration::from_secs(1) {
            break ready;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(ready.status, 503, "{}", ready.text);
    assert_eq!(ready.body["status"], "draining", "{}", ready.text);
    let exit = env.server.wait_exit(Duration::from_secs(15));
    assert!(
        exit.is_some_and(|status| status.success()),
        "exit after draining: {exit:?}"
    );

    env.server.restart().await;
    let waiting = env.api.wait_for_prompt(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    let events = history(&env, &id).await;
    let bind_card_answers: Vec<&Value> = events
        .iter()
        .filter(|e| e["step"] == "bind_card" && e["type"] == "outcome")
        .collect();
    assert_eq!(
        bind_card_answers.len(),
        1,
        "the answer in flight was recorded before the exit: {events:?}"
    );
    assert_eq!(env.sandbox.ledger().await.count(&id, "bind_card"), 1);
}
