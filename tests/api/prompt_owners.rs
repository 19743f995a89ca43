//! Security prompts belong to the wallet caller whose payment app holds the saga's payment
//! account (`parties.wallet.caller_id`, `sandbox-wallet` in the sandbox): another wallet
//! caller lists none of them and gets 404 for a decision, exactly as for a prompt that
//! does not exist. Credit applications belong to the wallet caller that created them.

use onboard_tests::{TestEnvBuilder, WALLET2_KEY, WALLET_KEY};
use reqwest::Method;
use serde_json::json;

use crate::credit::applicant;
use crate::flows::start_until_prompt;

#[tokio::test(flavor = "multi_thread")]
async fn another_wallet_caller_neither_sees_nor_decides_the_wallets_prompts() {
    let env = TestEnvBuilder::redis().start().await;
    let prompted = start_until_prompt(&env).await;
    let listing = format!(
        "/v1/security-prompts?payment_account_id={}",
        prompted.payment_account_id
    );
    let decision = format!("/v1/security-prompts/{}/decision", prompted.prompt_id);
    let reject = json!({ "decision": "reject" });

    let listed = env
        .api
        .send(Method::GET, &listing, Some(WALLET2_KEY), None, None)
        .await;
    listed.expect_status(200, "the other wallet's listing");
    assert_eq!(listed.body, json!({ "prompts": [] }), "{}", listed.text);
    for idempotency_key in [None, Some("wallet-2-decides")] {
        env.api
            .send(
                Method::POST,
                &decision,
                Some(WALLET2_KEY),
                idempotency_key,
                Some(&reject),
            )
            .await
            .expect_problem(404, "not_found", "the other wallet's decision");
    }

    let own = env
        .api
        .send(Method::GET, &listing, Some(WALLET_KEY), None, None)
        .await;
    own.expect_status(200, "the wallet's listing");
    assert_eq!(
        own.body["prompts"][0]["id"],
        prompted.prompt_id.as_str(),
        "{}",
        own.text
    );
    env.api
        .decide(&prompted.prompt_id, "approve")
        .await
        .expect_status(200, "the wallet's decision");
    let done = env.api.wait_final(&prompted.id).await;
    assert_eq!(done["status"], "completed", "{done}");
}

#[tokio::test(flavor = "multi_thread")]
async fn another_wallet_callers_credit_application_is_not_found() {
    let env = TestEnvBuilder::redis().start().await;
    let applicant = applicant(&env, None, None).await;
    let id = env.api.apply_for_credit(&applicant.body()).await;
    let path = format!("/v1/credit-applications/{id}");
    env.api
        .send(Method::GET, &path, Some(WALLET2_KEY), None, None)
        .await
        .expect_problem(404, "not_found", "another wallet's application");
    env.api
        .send(
            Method::POST,
            &format!("{path}/savings-account"),
            Some(WALLET2_KEY),
            None,
            Some(&json!({ "card_number": "4111111111111111" })),
        )
        .await
        .expect_problem(404, "not_found", "a card for another wallet's application");
    env.api
        .send(Method::GET, &path, Some(WALLET_KEY), None, None)
        .await
        .expect_status(200, "the wallet's own application");
}
