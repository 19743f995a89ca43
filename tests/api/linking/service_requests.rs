//! Service requests: a charge of the real account under the step's key, the merchant's
//! Idempotency-Key honoured, the wallet's refusal as `rejected`, and another merchant's or
//! an unknown virtual id as 404.

use onboard_tests::{TestEnv, MERCHANT2_KEY, MERCHANT_KEY};
use reqwest::Method;

use super::{charge, linked, settled, wallet_account};

async fn a_charge_completes_once_and_never_shows_the_real_account(env: TestEnv) {
    let someone = onboard_tests::person();
    let account = env.sandbox.create_wallet_user(&someone).await;
    let virtual_id = linked(&env.api, MERCHANT_KEY, &account).await;
    let accepted = charge(&env.api, MERCHANT_KEY, &virtual_id, "12.5", Some("order-1")).await;
    accepted.expect_status(201, "POST /v1/service-requests");
    assert_eq!(accepted.body["status"], "accepted");
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("sr_"), "{}", accepted.text);
    let location = format!("/v1/service-requests/{id}");
    assert_eq!(accepted.header("location"), Some(location.as_str()));

    let done = settled(&env.api, &id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert!(done["error"].is_null());
    let charge_id = done["charge_id"].as_str().expect("a charge id").to_owned();

    let replayed = charge(&env.api, MERCHANT_KEY, &virtual_id, "12.5", Some("order-1")).await;
    replayed.expect_status(201, "the same request again");
    assert_eq!(replayed.body["id"], id.as_str());
    charge(
        &env.api,
        MERCHANT_KEY,
        &virtual_id,
        "13.00",
        Some("order-1"),
    )
    .await
    .expect_problem(422, "idempotency_key_reused", "the key with another body");

    let ledger = env.sandbox.ledger().await;
    assert_eq!(ledger.count(&id, "charge"), 1, "{:?}", ledger.summary(&id));
    assert_eq!(
        ledger.subject(&id, "charge").as_deref(),
        Some(charge_id.as_str())
    );
    let person = env.sandbox.wallet_person(&someone.id_number).await;
    let charges = &person["accounts"][0]["charges"];
    assert_eq!(charges[0]["amount"]["amount"], "12.50", "{person}");
    assert_eq!(charges[0]["merchant_id"], "sandbox-merchant");
    for reply in [&accepted.text, &replayed.text, &done.to_string()] {
        assert!(
            !reply.contains(&account),
            "a merchant answer holds the account: {reply}"
        );
    }
}

async fn a_charge_above_the_wallets_limit_is_rejected(env: TestEnv) {
    let account = wallet_account(&env).await;
    let virtual_id = linked(&env.api, MERCHANT_KEY, &account).await;
    let accepted = charge(&env.api, MERCHANT_KEY, &virtual_id, "10000.01", None).await;
    accepted.expect_status(201, "POST /v1/service-requests");
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    let done = settled(&env.api, &id).await;
    assert_eq!(done["status"], "rejected", "{done}");
    assert_eq!(done["error"]["code"], "insufficient_funds");
    assert!(done["charge_id"].is_null());
    assert_eq!(env.sandbox.ledger().await.count(&id, "charge"), 0);
    let limit = charge(&env.api, MERCHANT_KEY, &virtual_id, "10000", None).await;
    let done = settled(&env.api, limit.body["id"].as_str().unwrap()).await;
    assert_eq!(
        done["status"], "completed",
        "exactly 10,000.00 is charged: {done}"
    );
}

async fn another_merchants_or_an_unknown_virtual_id_is_not_found(env: TestEnv) {
    let account = wallet_account(&env).await;
    let virtual_id = linked(&env.api, MERCHANT_KEY, &account).await;
    charge(&env.api, MERCHANT2_KEY, &virtual_id, "1", None)
        .await
        .expect_problem(404, "not_found", "another merchant's virtual id");
    let unknown = format!("va_{}", "0".repeat(32));
    charge(&env.api, MERCHANT_KEY, &unknown, "1", None)
        .await
        .expect_problem(404, "not_found", "an unknown virtual id");
    let accepted = charge(&env.api, MERCHANT_KEY, &virtual_id, "1", None).await;
    let id = accepted.body["id"].as_str().unwrap();
    let path = format!("/v1/service-requests/{id}");
    env.api
        .send(Method::GET, &path, Some(MERCHANT2_KEY), None, None)
        .await
        .expect_problem(404, "not_found", "another merchant's service request");
}

on_both_stores!(
    a_charge_completes_once_and_never_shows_the_real_account,
    a_charge_above_the_wallets_limit_is_rejected,
    another_merchants_or_an_unknown_virtual_id_is_not_found,
);
