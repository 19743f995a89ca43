//! Links: pending until completed, a token that works once and only while live, one 404
//! for every bad token, completion only with the minted id, pairwise virtual ids, and
//! another merchant's link as 404.

use std::time::Duration;

use onboard_tests::{TestEnv, TestEnvBuilder, MERCHANT2_KEY, MERCHANT_KEY};

use super::{complete, create_link, exchange, get_link, linked, wallet_account};

async fn a_link_is_pending_until_completed_and_its_token_works_once(env: TestEnv) {
    let account = wallet_account(&env).await;
    let link = create_link(&env.api, MERCHANT_KEY, "user-42").await;
    link.expect_status(201, "POST /v1/links");
    let id = link.body["id"].as_str().unwrap().to_owned();
    let token = link.body["link_token"].as_str().unwrap().to_owned();
    assert!(id.starts_with("lnk_"), "{}", link.text);
    assert!(token.starts_with("lt_") && token.len() >= 3 + 22, "{token}");
    assert_eq!(link.body["status"], "pending");
    assert_eq!(link.body["merchant_user_ref"], "user-42");
    assert!(link.body["virtual_account_id"].is_null());
    assert_eq!(
        link.header("location"),
        Some(format!("/v1/links/{id}").as_str())
    );
    let read = get_link(&env.api, MERCHANT_KEY, &id).await;
    read.expect_status(200, "GET /v1/links/{id}");
    assert_eq!(read.body["status"], "pending");
    assert!(
        read.body.get("link_token").is_none(),
        "the token is shown once"
    );

    let minted = exchange(&env.api, &account, &token).await;
    minted.expect_status(201, "the exchange");
    assert_eq!(minted.body["merchant_id"], "sandbox-merchant");
    let virtual_id = minted.body["virtual_account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(virtual_id.starts_with("va_"), "{}", minted.text);
    assert!(!minted.text.contains(&account));
    let pending = get_link(&env.api, MERCHANT_KEY, &id).await;
    assert_eq!(
        pending.body["status"], "pending",
        "exchanged, not yet completed"
    );

    let used = exchange(&env.api, &account, &token).await;
    used.expect_problem(404, "link_not_found", "a used token");
    let unknown = exchange(&env.api, &account, &format!("lt_{}", "A".repeat(43))).await;
    unknown.expect_problem(404, "link_not_found", "an unknown token");
    let malformed = exchange(&env.api, &account, "not-a-token").await;
    malformed.expect_problem(404, "link_not_found", "a malformed token");
    assert_eq!(used.text, unknown.text, "one answer for every bad token");
    assert_eq!(used.text, malformed.text, "one answer for every bad token");

    let other = super::linked(&env.api, MERCHANT_KEY, &wallet_account(&env).await).await;
    complete(&env.api, MERCHANT_KEY, &id, &other)
        .await
        .expect_problem(422, "virtual_account_mismatch", "another link's virtual id");
    let done = complete(&env.api, MERCHANT_KEY, &id, &virtual_id).await;
    done.expect_status(200, "the completion");
    assert_eq!(done.body["status"], "linked");
    assert_eq!(done.body["virtual_account_id"], virtual_id.as_str());
    let again = complete(&env.api, MERCHANT_KEY, &id, &virtual_id).await;
    again.expect_status(200, "completing twice");
    assert_eq!(again.body["status"], "linked");
    let read = get_link(&env.api, MERCHANT_KEY, &id).await;
    assert_eq!(read.body["status"], "linked");
    assert_eq!(read.body["virtual_account_id"], virtual_id.as_str());

    get_link(&env.api, MERCHANT2_KEY, &id).await.expect_problem(
        404,
        "not_found",
        "another merchant's link",
    );
    complete(&env.api, MERCHANT2_KEY, &id, &virtual_id)
        .await
        .expect_problem(404, "not_found", "completing another merchant's link");
    get_link(&env.api, MERCHANT_KEY, "lnk_0123")
        .await
        .expect_problem(404, "not_found", "a malformed link id");
}

async fn virtual_ids_are_pairwise_and_unrelated(env: TestEnv) {
    let account = wallet_account(&env).await;
    let first = linked(&env.api, MERCHANT_KEY, &account).await;
    let again = linked(&env.api, MERCHANT_KEY, &account).await;
    assert_eq!(first, again, "one virtual id per merchant and account");
    let other_merchant = linked(&env.api, MERCHANT2_KEY, &account).await;
    let other_account = linked(&env.api, MERCHANT_KEY, &wallet_account(&env).await).await;
    let hex = |id: &str| id.strip_prefix("va_").expect("va_ id").to_owned();
    let (a, b) = (hex(&first), hex(&other_merchant));
    assert_ne!(a, b);
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    assert!(
        shared < 8,
        "{first} and {other_merchant} share a {shared}-character prefix"
    );
    for id in [&first, &other_merchant, &other_account] {
        assert!(!id.contains(&account), "{id} carries the account id");
        for window in account.as_bytes().windows(8) {
            let piece = String::from_utf8_lossy(window);
            assert!(
                !id.contains(piece.as_ref()),
                "{id} carries part of {account}"
            );
        }
    }
    assert_ne!(other_account, first);
}

on_both_stores!(
    a_link_is_pending_until_completed_and_its_token_works_once,
    virtual_ids_are_pairwise_and_unrelated,
);

async fn an_expired_token_is_not_found_and_the_link_reads_expired(env: TestEnv) {
    let account = wallet_account(&env).await;
    let link = create_link(&env.api, MERCHANT_KEY, "user-7").await;
    link.expect_status(201, "POST /v1/links");
    tokio::time::sleep(Duration::from_millis(1_300)).await;
    let token = link.body["link_token"].as_str().unwrap();
    exchange(&env.api, &account, token).await.expect_problem(
        404,
        "link_not_found",
        "an expired token",
    );
    let id = link.body["id"].as_str().unwrap();
    let read = get_link(&env.api, MERCHANT_KEY, id).await;
    assert_eq!(read.body["status"], "expired", "{}", read.text);
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_an_expired_token_is_not_found_and_the_link_reads_expired() {
    let env = TestEnvBuilder::redis()
        .env("ONBOARD_LINKS__TOKEN_TTL_SECS", 1)
        .start()
        .await;
    an_expired_token_is_not_found_and_the_link_reads_expired(env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_an_expired_token_is_not_found_and_the_link_reads_expired() {
    let env = TestEnvBuilder::embedded()
        .env("ONBOARD_LINKS__TOKEN_TTL_SECS", 1)
        .start()
        .await;
    an_expired_token_is_not_found_and_the_link_reads_expired(env).await;
}
