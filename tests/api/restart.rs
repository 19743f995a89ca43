//! The embedded store keeps a waiting saga across restarts of the process.

use onboard_tests::TestEnvBuilder;

use crate::flows::{start_until_prompt, str_at};

#[tokio::test(flavor = "multi_thread")]
async fn embedded_store_keeps_a_waiting_saga_across_restarts() {
    let mut env = TestEnvBuilder::embedded().start().await;
    let flow = start_until_prompt(&env).await;

    // A graceful stop, then a kill -9: both must keep the saga and its prompt.
    assert!(
        env.server.terminate(),
        "onboard serve did not exit on SIGTERM within 10 s"
    );
    env.server.restart().await;
    assert_still_waiting(&env, &flow.id, &flow.prompt_id, &flow.payment_account_id).await;

    env.server.kill9();
    env.server.restart().await;
    assert_still_waiting(&env, &flow.id, &flow.prompt_id, &flow.payment_account_id).await;

    env.api
        .decide(&flow.prompt_id, "approve")
        .await
        .expect_status(200, "approve after restarts");
    let done = env.api.wait_final(&flow.id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["account_created"], true, "{done}");
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        ledger.count(&flow.id, "register_account"),
        1,
        "{:?}",
        ledger.of(&flow.id)
    );
    assert_eq!(
        ledger.count(&flow.id, "bind_card"),
        1,
        "{:?}",
        ledger.of(&flow.id)
    );
    assert_eq!(ledger.of(&flow.id).len(), 2, "{:?}", ledger.of(&flow.id));
}

async fn assert_still_waiting(
    env: &onboard_tests::TestEnv,
    id: &str,
    prompt_id: &str,
    payment_account_id: &str,
) {
    let reply = env
        .api
        .try_get_onboarding(id, 0)
        .await
        .expect("GET after restart");
    reply.expect_status(200, "GET after restart");
    assert_eq!(reply.body["status"], "waiting", "{}", reply.text);
    assert_eq!(
        str_at(&reply.body, &["waiting_for", "prompt_id"]),
        prompt_id,
        "{}",
        reply.text
    );
    let prompts = env.api.prompts(payment_account_id).await;
    prompts.expect_status(200, "prompts after restart");
    assert!(
        prompts.body["prompts"]
            .as_array()
            .is_some_and(|all| all.iter().any(|p| p["id"] == prompt_id)),
        "prompt {prompt_id} not listed after restart: {}",
        prompts.text
    );
}
