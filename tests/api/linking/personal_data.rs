//! The real payment account behind a virtual id never appears in clear: not in any Redis
//! key or value, not in the embedded store's file, not in a log line, through linking,
//! service requests and revocation.

use onboard_tests::{TestEnv, TestEnvBuilder, MERCHANT_KEY, WALLET_KEY};
use reqwest::Method;

use super::{charge, linked, settled, wallet_account};
use crate::personal_data::find;

/// Links an account, charges it twice (once refused) and revokes the virtual id; the
/// account id and the virtual id.
async fn exercise(env: &TestEnv) -> (String, String) {
    let account = wallet_account(env).await;
    let virtual_id = linked(&env.api, MERCHANT_KEY, &account).await;
    for amount in ["20.00", "20000.00"] {
        let accepted = charge(&env.api, MERCHANT_KEY, &virtual_id, amount, None).await;
        accepted.expect_status(201, "POST /v1/service-requests");
        settled(&env.api, accepted.body["id"].as_str().unwrap()).await;
    }
    let path = format!("/v1/virtual-accounts?payment_account_id={account}");
    env.api
        .send(Method::GET, &path, Some(WALLET_KEY), None, None)
        .await
        .expect_status(200, "the wallet's listing");
    let path = format!("/v1/virtual-accounts/{virtual_id}");
    env.api
        .send(Method::DELETE, &path, Some(WALLET_KEY), None, None)
        .await
        .expect_status(204, "the revocation");
    (account, virtual_id)
}

fn assert_not_logged(env: &TestEnv, account: &str) {
    let logs = format!("{}{}", env.server.stdout_logs(), env.server.stderr_logs());
    assert!(!logs.is_empty());
    if let Some(line) = logs.lines().find(|line| line.contains(account)) {
        panic!("a log line holds the real account: {line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_and_the_logs_never_hold_the_real_account_in_clear() {
    let mut env = TestEnvBuilder::redis().start().await;
    let (account, virtual_id) = exercise(&env).await;
    let stored = env.redis().dump();
    assert!(
        stored.iter().any(|(key, _)| key.contains(&virtual_id)),
        "the virtual account is stored under {}",
        env.prefix
    );
    for (key, value) in &stored {
        assert!(!key.contains(&account), "Redis key {key} names the account");
        assert!(
            !find(value, &account),
            "Redis key {key} holds the account in clear"
        );
    }
    assert_not_logged(&env, &account);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_file_and_the_logs_never_hold_the_real_account_in_clear() {
    let mut env = TestEnvBuilder::embedded().start().await;
    let (account, virtual_id) = exercise(&env).await;
    env.server.kill9();
    let file = std::fs::read(env.dir().join("data").join("onboard.redb")).expect("the store file");
    assert!(
        find(&file, &virtual_id),
        "the virtual account is in the store file"
    );
    assert!(
        !find(&file, &account),
        "the store file holds the account in clear"
    );
    assert_not_logged(&env, &account);
}
