//! Refresh-key reuse (RFC 9700): presenting a refresh key that was already used revokes
//! the whole family, the newest ticket included, also when a refresh races itself.

use onboard_tests::{TestEnv, TestEnvBuilder};

use super::{username, Tickets, APP_KEY};

async fn a_reused_refresh_key_revokes_the_family(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    let first = tickets.ticket(&name, "sandbox-app").await;
    let second = tickets.refresh(&first, "sandbox-app").await;
    second.expect_status(201, "refresh");
    let second = second.body.clone();
    let third = tickets.refresh(&second, "sandbox-app").await;
    third.expect_status(201, "second refresh");
    let newest = third.body.clone();
    tickets
        .verify(APP_KEY, &newest)
        .await
        .expect_status(200, "newest");

    // A thief replays the first refresh key: the family is revoked, newest included.
    tickets.refresh(&first, "sandbox-app").await.expect_problem(
        401,
        "refresh_key_reused",
        "the first refresh key again",
    );
    tickets.verify(APP_KEY, &newest).await.expect_problem(
        401,
        "ticket_invalid",
        "the newest ticket after the reuse",
    );
    tickets
        .refresh(&newest, "sandbox-app")
        .await
        .expect_problem(
            401,
            "ticket_invalid",
            "the newest refresh key after the reuse",
        );
    tickets
        .refresh(&second, "sandbox-app")
        .await
        .expect_problem(401, "refresh_key_reused", "another used key");

    // The user logs in again: a new family, unaffected by the old keys.
    let fresh = tickets.ticket(&name, "sandbox-app").await;
    tickets
        .verify(APP_KEY, &fresh)
        .await
        .expect_status(200, "new login");
    tickets.refresh(&first, "sandbox-app").await.expect_problem(
        401,
        "ticket_invalid",
        "a key of the replaced family",
    );
    tickets
        .verify(APP_KEY, &fresh)
        .await
        .expect_status(200, "still valid");
}

/// Two refreshes with one key at once: exactly one gets a ticket, the other is a reuse
/// and revokes the ticket the first got.
async fn a_refresh_racing_itself_wins_once_and_revokes(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    for round in 0..5 {
        let ticket = tickets.ticket(&name, "sandbox-app").await;
        let (one, two) = tokio::join!(
            tickets.refresh(&ticket, "sandbox-app"),
            tickets.refresh(&ticket, "sandbox-app")
        );
        let (winner, loser) = if one.status == 201 {
            (one, two)
        } else {
            (two, one)
        };
        winner.expect_status(201, &format!("round {round}: one refresh wins"));
        loser.expect_problem(
            401,
            "refresh_key_reused",
            &format!("round {round}: the other is a reuse"),
        );
        tickets.verify(APP_KEY, &winner.body).await.expect_problem(
            401,
            "ticket_invalid",
            "the winner's ticket is revoked",
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reused_refresh_key_revokes_the_family_on_redis() {
    a_reused_refresh_key_revokes_the_family(&TestEnvBuilder::redis().start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reused_refresh_key_revokes_the_family_on_the_embedded_store() {
    a_reused_refresh_key_revokes_the_family(&TestEnvBuilder::embedded().start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_racing_itself_wins_once_and_revokes_on_redis() {
    a_refresh_racing_itself_wins_once_and_revokes(&TestEnvBuilder::redis().start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_racing_itself_wins_once_and_revokes_on_the_embedded_store() {
    let env = TestEnvBuilder::embedded().start().await;
    a_refresh_racing_itself_wins_once_and_revokes(&env).await;
}
