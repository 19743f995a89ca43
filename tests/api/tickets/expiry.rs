//! Expiry, with TTLs of seconds set in the configuration: an expired authorization key is
//! `ticket_expired` (the client refreshes), an expired refresh key too (it logs in again).

use std::time::Duration;

use onboard_tests::{TestEnv, TestEnvBuilder};

use super::{username, Tickets, APP_KEY};

/// Life of an authorization key in these tests.
const AUTHORIZATION_TTL: Duration = Duration::from_secs(2);
/// Life of a refresh key in these tests.
const REFRESH_TTL: Duration = Duration::from_secs(4);
/// A margin past an expiry, for the clock's granularity.
const PAST: Duration = Duration::from_millis(200);

fn short_lived(builder: TestEnvBuilder) -> TestEnvBuilder {
    builder
        .env(
            "ONBOARD_TICKETS__AUTHORIZATION_TTL_SECS",
            AUTHORIZATION_TTL.as_secs(),
        )
        .env("ONBOARD_TICKETS__REFRESH_TTL_SECS", REFRESH_TTL.as_secs())
}

async fn keys_expire(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    let ticket = tickets.ticket(&name, "sandbox-app").await;
    tickets
        .verify(APP_KEY, &ticket)
        .await
        .expect_status(200, "fresh");

    tokio::time::sleep(AUTHORIZATION_TTL + PAST).await;
    tickets.verify(APP_KEY, &ticket).await.expect_problem(
        401,
        "ticket_expired",
        "after the authorization TTL",
    );
    let refreshed = tickets.refresh(&ticket, "sandbox-app").await;
    refreshed.expect_status(201, "the refresh key still lives");
    let refreshed = refreshed.body.clone();
    tickets
        .verify(APP_KEY, &refreshed)
        .await
        .expect_status(200, "the new ticket");

    tokio::time::sleep(REFRESH_TTL + PAST).await;
    tickets
        .refresh(&refreshed, "sandbox-app")
        .await
        .expect_problem(401, "ticket_expired", "after the refresh TTL");
    let again = tickets.ticket(&name, "sandbox-app").await;
    tickets
        .verify(APP_KEY, &again)
        .await
        .expect_status(200, "logged in again");
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_and_refresh_keys_expire_on_redis() {
    keys_expire(&short_lived(TestEnvBuilder::redis()).start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_and_refresh_keys_expire_on_the_embedded_store() {
    keys_expire(&short_lived(TestEnvBuilder::embedded()).start().await).await;
}
