//! Guessing limits: a username is locked out after 10 consecutive failures, for a time
//! that grows while failures go on (NIST SP 800-63B); the keyless endpoints are limited
//! per client address.

use std::time::Duration;

use onboard_tests::{Reply, TestEnv, TestEnvBuilder};
use reqwest::Method;
use serde_json::json;

use super::{username, Tickets, PASSWORD};

const WRONG: &str = "not-the-Password-42";

fn retry_after(reply: &Reply) -> u64 {
    reply
        .header("retry-after")
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(|| panic!("429 without a numeric Retry-After: {reply:?}"))
}

async fn fail_ten_times(tickets: &Tickets<'_>, name: &str) {
    for attempt in 1..=10 {
        tickets
            .login(name, WRONG, "sandbox-app")
            .await
            .expect_problem(401, "invalid_credentials", &format!("failure {attempt}"));
    }
}

async fn lockout_grows_and_clears(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    fail_ten_times(&tickets, &name).await;

    // Locked: even the right password is refused, without a password check.
    let locked = tickets.login(&name, PASSWORD, "sandbox-app").await;
    locked.expect_problem(429, "rate_limited", "the 11th attempt");
    assert_eq!(retry_after(&locked), 1);

    // A failure after the lockout locks it out for twice as long.
    tokio::time::sleep(Duration::from_millis(1_200)).await;
    tickets
        .login(&name, WRONG, "sandbox-app")
        .await
        .expect_problem(401, "invalid_credentials", "failure 11");
    let locked = tickets.login(&name, PASSWORD, "sandbox-app").await;
    locked.expect_problem(429, "rate_limited", "after failure 11");
    assert_eq!(retry_after(&locked), 2);

    // Once it passes, the right password logs in and clears the count.
    tokio::time::sleep(Duration::from_millis(2_200)).await;
    tickets.ticket(&name, "sandbox-app").await;
    for attempt in 1..=9 {
        tickets
            .login(&name, WRONG, "sandbox-app")
            .await
            .expect_problem(
                401,
                "invalid_credentials",
                &format!("fresh failure {attempt}"),
            );
    }
    tickets.ticket(&name, "sandbox-app").await;

    // An unknown username is locked out alike: the lockout tells nothing about accounts.
    let unknown = username();
    fail_ten_times(&tickets, &unknown).await;
    tickets
        .login(&unknown, WRONG, "sandbox-app")
        .await
        .expect_problem(429, "rate_limited", "an unknown username");
}

fn quick_lockout(builder: TestEnvBuilder) -> TestEnvBuilder {
    builder.env("ONBOARD_TICKETS__LOCKOUT_BASE_SECS", 1)
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_failures_lock_a_username_out_growing_on_redis() {
    lockout_grows_and_clears(&quick_lockout(TestEnvBuilder::redis()).start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ten_failures_lock_a_username_out_growing_on_the_embedded_store() {
    lockout_grows_and_clears(&quick_lockout(TestEnvBuilder::embedded()).start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyless_endpoints_are_limited_per_client_address() {
    let env = TestEnvBuilder::embedded()
        .env("ONBOARD_TICKETS__ADDRESS_PER_SECOND", 1)
        .env("ONBOARD_TICKETS__ADDRESS_BURST", 3)
        .start()
        .await;
    let tickets = Tickets(&env);
    // Bodies refused at once (no password hashing), so that the burst is spent well within
    // the second that would earn a new request.
    for attempt in 1..=3 {
        env.api
            .send(Method::POST, "/v1/tickets", None, None, Some(&json!({})))
            .await
            .expect_problem(400, "validation_failed", &format!("attempt {attempt}"));
    }
    let limited = tickets.register(&username(), PASSWORD).await;
    limited.expect_problem(429, "rate_limited", "the burst is spent");
    assert!(retry_after(&limited) >= 1);
    tickets
        .login(&username(), WRONG, "sandbox-app")
        .await
        .expect_problem(429, "rate_limited", "still limited");
    // Verify is keyed (the app's limit applies, not the address's).
    env.api
        .send(
            Method::POST,
            "/v1/tickets/verify",
            Some(super::APP_KEY),
            None,
            Some(&json!({})),
        )
        .await
        .expect_problem(400, "validation_failed", "verify is not address-limited");
}
