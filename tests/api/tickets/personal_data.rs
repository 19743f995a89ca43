//! No clear username, password or key in the store or the logs.

use onboard_tests::{TestEnv, TestEnvBuilder};
use serde_json::Value;

use super::{username, Tickets, APP_KEY, PASSWORD};

/// Exercises every path for two users; answers what must never be stored or logged in
/// clear, with what it is.
async fn exercise(env: &TestEnv) -> Vec<(String, String)> {
    let tickets = Tickets(env);
    let mut secrets = vec![("password".to_owned(), PASSWORD.to_owned())];
    for _ in 0..2 {
        let name = username();
        let user_id = tickets.account(&name).await;
        tickets
            .login(&name, "Wrong-password-123", "sandbox-app")
            .await
            .expect_status(401, "a failure");
        let first = tickets.ticket(&name, "sandbox-app").await;
        tickets
            .verify(APP_KEY, &first)
            .await
            .expect_status(200, "verify");
        let second = tickets.refresh(&first, "sandbox-app").await.body.clone();
        tickets
            .refresh(&first, "sandbox-app")
            .await
            .expect_status(401, "reuse");
        let third = tickets.ticket(&name, "sandbox-app-2").await;
        tickets
            .revoke(&third, "sandbox-app-2")
            .await
            .expect_status(200, "revoke");
        secrets.push(("username".into(), name.clone()));
        secrets.push(("username (upper case)".into(), name.to_uppercase()));
        secrets.push(("user id (in logs)".into(), user_id));
        for ticket in [&first, &second, &third] {
            for key in ["authorization_key", "refresh_key"] {
                secrets.push((key.into(), ticket[key].as_str().unwrap_or("?").to_owned()));
            }
        }
    }
    secrets
}

fn logs(env: &TestEnv) -> String {
    format!("{}{}", env.server.stdout_logs(), env.server.stderr_logs())
}

fn find(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn leaks_in_logs(logs: &str, secrets: &[(String, String)]) -> Vec<String> {
    let mut leaks = Vec::new();
    for (what, secret) in secrets {
        for line in logs.lines().filter(|line| line.contains(secret.as_str())) {
            leaks.push(format!("a log line holds a {what}: {line}"));
        }
    }
    leaks
}

#[tokio::test(flavor = "multi_thread")]
async fn no_clear_credential_or_key_in_redis_or_the_logs() {
    let mut env = TestEnvBuilder::redis().start().await;
    let secrets = exercise(&env).await;
    let stored = env.redis().dump();
    assert!(
        stored.len() >= 6,
        "accounts and families stored: {stored:?}"
    );
    let mut leaks = leaks_in_logs(&logs(&env), &secrets);
    for (what, secret) in secrets
        .iter()
        .filter(|(what, _)| !what.starts_with("user id"))
    {
        for (key, value) in &stored {
            if key.contains(secret.as_str()) || find(value, secret) {
                leaks.push(format!("Redis key {key} holds a {what} in clear"));
            }
        }
    }
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));
    let lines: Vec<Value> = env
        .server
        .stdout_logs()
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert!(
        lines
            .iter()
            .any(|line| line["fields"]["message"] == "ticket issued"),
        "the events are logged, without their secrets"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn no_clear_credential_or_key_in_the_embedded_file_or_the_logs() {
    let env = TestEnvBuilder::embedded().start().await;
    let secrets = exercise(&env).await;
    let file = std::fs::read(env.dir().join("data").join("onboard.redb")).expect("the store file");
    let mut leaks = leaks_in_logs(&logs(&env), &secrets);
    for (what, secret) in secrets
        .iter()
        .filter(|(what, _)| !what.starts_with("user id"))
    {
        if find(&file, secret) {
            leaks.push(format!("the store file holds a {what} in clear"));
        }
    }
    assert!(leaks.is_empty(), "leaks:\n{}", leaks.join("\n"));
}
