//! Every path of the tickets contract, on Redis and on the embedded store.

use onboard_tests::{TestEnv, TestEnvBuilder, BANK_KEY};
use reqwest::Method;
use serde_json::json;

use super::{family, username, Tickets, APP2_KEY, APP_KEY, PASSWORD};

/// A well-formed key that Onboard never issued.
pub(crate) fn unknown_key() -> String {
    let hex = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    format!("{}A", &hex[..42])
}

async fn accounts(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    let user_id = tickets.account(&name).await;
    assert!(
        user_id.starts_with("usr_") && user_id.len() == 36,
        "{user_id}"
    );
    tickets
        .register(&name.to_uppercase(), "another-Strong-passphrase-9")
        .await
        .expect_problem(409, "username_taken", "the username in other case");
    let other = username();
    let own_name = format!("{other}1");
    for weak in ["Sh0rt!pw", "password123", "qwertyuiop", own_name.as_str()] {
        tickets
            .register(&other, weak)
            .await
            .expect_problem(422, "weak_password", weak);
    }
    let reply = env
        .api
        .send(
            Method::POST,
            "/v1/accounts",
            None,
            None,
            Some(&json!({"username": other, "password": PASSWORD, "admin": true})),
        )
        .await;
    reply.expect_problem(400, "validation_failed", "an unknown field");
    assert_eq!(reply.body["field"], "admin");
    tickets.register("a b", PASSWORD).await.expect_problem(
        400,
        "validation_failed",
        "a username with a space",
    );
    tickets.account(&other).await;
}

async fn logins(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    let wrong = tickets
        .login(&name, "not-the-Password-42", "sandbox-app")
        .await;
    wrong.expect_problem(401, "invalid_credentials", "a wrong password");
    let unknown = tickets.login(&username(), PASSWORD, "sandbox-app").await;
    unknown.expect_problem(401, "invalid_credentials", "an unknown username");
    assert_eq!(wrong.text, unknown.text, "one answer for both");
    tickets
        .login(&name, PASSWORD, "no-such-app")
        .await
        .expect_problem(422, "unknown_app", "an unknown app");
    tickets
        .login(&name, PASSWORD, "sandbox-bank")
        .await
        .expect_problem(422, "unknown_app", "a caller that is not an app");

    let reply = tickets.login(&name, PASSWORD, "sandbox-app").await;
    reply.expect_status(201, "login");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let ticket = &reply.body;
    for key in ["authorization_key", "refresh_key"] {
        assert_eq!(ticket[key].as_str().map(str::len), Some(43), "{ticket}");
    }
    assert_ne!(ticket["authorization_key"], ticket["refresh_key"]);
    assert!(ticket["expires_at"].is_string() && ticket["refresh_expires_at"].is_string());
    // The username is found case-insensitively.
    tickets.ticket(&name.to_uppercase(), "sandbox-app").await;
}

async fn verify_is_per_app(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    let user_id = tickets.account(&name).await;
    let ticket = tickets.ticket(&name, "sandbox-app").await;
    let reply = tickets.verify(APP_KEY, &ticket).await;
    reply.expect_status(200, "verify");
    assert_eq!(
        reply.body,
        json!({
            "valid": true,
            "user_id": user_id,
            "app_id": "sandbox-app",
            "expires_at": ticket["expires_at"],
        })
    );
    tickets.verify(APP2_KEY, &ticket).await.expect_problem(
        401,
        "ticket_invalid",
        "another app's ticket",
    );
    env.api
        .send(
            Method::POST,
            "/v1/tickets/verify",
            Some(BANK_KEY),
            None,
            Some(&json!({})),
        )
        .await
        .expect_problem(403, "forbidden", "a bank key");
    env.api
        .send(
            Method::POST,
            "/v1/tickets/verify",
            None,
            None,
            Some(&json!({})),
        )
        .await
        .expect_problem(401, "unauthenticated", "no key");
    let mut forged = ticket.clone();
    forged["authorization_key"] = json!(unknown_key());
    tickets
        .verify(APP_KEY, &forged)
        .await
        .expect_problem(401, "ticket_invalid", "an unknown key");
    forged["authorization_key"] = ticket["refresh_key"].clone();
    tickets.verify(APP_KEY, &forged).await.expect_problem(
        401,
        "ticket_invalid",
        "the refresh key as authorization key",
    );
    forged["authorization_key"] = json!("short");
    let reply = tickets.verify(APP_KEY, &forged).await;
    reply.expect_problem(400, "validation_failed", "a malformed key");
    assert_eq!(reply.body["field"], "authorization_key");

    // A ticket of each app: two families, each valid only at its own app.
    let second = tickets.ticket(&name, "sandbox-app-2").await;
    tickets
        .verify(APP2_KEY, &second)
        .await
        .expect_status(200, "app 2");
    tickets.verify(APP_KEY, &second).await.expect_problem(
        401,
        "ticket_invalid",
        "app 2's ticket at app 1",
    );
    tickets
        .verify(APP_KEY, &ticket)
        .await
        .expect_status(200, "app 1 still");
}

async fn refresh_and_revoke(env: &TestEnv) {
    let tickets = Tickets(env);
    let name = username();
    tickets.account(&name).await;
    let first = tickets.ticket(&name, "sandbox-app").await;
    let reply = tickets.refresh(&first, "sandbox-app").await;
    reply.expect_status(201, "refresh");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let second = reply.body.clone();
    assert_eq!(second["user_id"], first["user_id"]);
    for key in ["authorization_key", "refresh_key"] {
        assert_ne!(second[key], first[key], "{key} rotated");
    }
    tickets.verify(APP_KEY, &first).await.expect_problem(
        401,
        "ticket_invalid",
        "the old authorization key",
    );
    tickets
        .verify(APP_KEY, &second)
        .await
        .expect_status(200, "the new one");

    let mut unknown = second.clone();
    unknown["refresh_key"] = json!(unknown_key());
    tickets
        .refresh(&unknown, "sandbox-app")
        .await
        .expect_problem(401, "ticket_invalid", "an unknown refresh key");
    tickets
        .refresh(&second, "sandbox-app-2")
        .await
        .expect_problem(401, "ticket_invalid", "the key at another app");
    tickets
        .refresh(&second, "no-such-app")
        .await
        .expect_problem(422, "unknown_app", "an unknown app");
    tickets
        .revoke(&unknown, "sandbox-app")
        .await
        .expect_problem(401, "ticket_invalid", "revoke with an unknown key");
    tickets
        .verify(APP_KEY, &second)
        .await
        .expect_status(200, "still valid");

    let reply = tickets.revoke(&second, "sandbox-app").await;
    reply.expect_status(200, "revoke");
    assert_eq!(reply.body, json!({ "revoked": true }));
    tickets.verify(APP_KEY, &second).await.expect_problem(
        401,
        "ticket_invalid",
        "a revoked ticket",
    );
    tickets
        .refresh(&second, "sandbox-app")
        .await
        .expect_problem(401, "ticket_invalid", "refresh of a revoked family");
    let reply = env
        .api
        .send(
            Method::POST,
            "/v1/tickets/refresh",
            None,
            None,
            Some(&json!({"user_id": "usr_1", "app_id": "sandbox-app", "refresh_key": "k"})),
        )
        .await;
    reply.expect_problem(400, "validation_failed", "a malformed user id");
    assert_eq!(reply.body["field"], "user_id");
    let mut extra = family(&second, "sandbox-app");
    extra["scope"] = json!("all");
    let reply = env
        .api
        .send(Method::POST, "/v1/tickets/revoke", None, None, Some(&extra))
        .await;
    reply.expect_problem(400, "validation_failed", "an unknown field");
    assert_eq!(reply.body["field"], "scope");

    // Logging in again after the logout starts a new family.
    let again = tickets.ticket(&name, "sandbox-app").await;
    tickets
        .verify(APP_KEY, &again)
        .await
        .expect_status(200, "after login");
}

async fn every_path(env: &TestEnv) {
    accounts(env).await;
    logins(env).await;
    verify_is_per_app(env).await;
    refresh_and_revoke(env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_path_of_the_tickets_contract_on_redis() {
    every_path(&TestEnvBuilder::redis().start().await).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_path_of_the_tickets_contract_on_the_embedded_store() {
    every_path(&TestEnvBuilder::embedded().start().await).await;
}
