//! Revocation: the wallet lists what a user linked and deletes a virtual id; from then on
//! service requests with it answer 410 and the link reads `revoked`, while a request
//! accepted before finishes; a new link mints a new id; another wallet sees and deletes
//! nothing.

use std::time::Duration;

use onboard_tests::{TestEnv, MERCHANT2_KEY, MERCHANT_KEY, WALLET2_KEY, WALLET_KEY};

use super::{
    charge, complete, create_link, exchange, get_link, linked, listed, revoke, settled,
    wallet_account,
};

async fn a_revoked_virtual_id_is_refused_at_once_and_accepted_requests_finish(env: TestEnv) {
    let account = wallet_account(&env).await;
    let link = create_link(&env.api, MERCHANT_KEY, "user-9").await;
    let link_id = link.body["id"].as_str().unwrap().to_owned();
    let minted = exchange(
        &env.api,
        &account,
        link.body["link_token"].as_str().unwrap(),
    )
    .await;
    let virtual_id = minted.body["virtual_account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    complete(&env.api, MERCHANT_KEY, &link_id, &virtual_id)
        .await
        .expect_status(200, "the completion");
    let elsewhere = linked(&env.api, MERCHANT2_KEY, &account).await;

    let listing = listed(&env, WALLET_KEY, &account).await;
    let ids: Vec<&str> = listing
        .iter()
        .map(|va| va["virtual_account_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [virtual_id.as_str(), elsewhere.as_str()]);
    assert_eq!(listing[0]["merchant_id"], "sandbox-merchant");
    assert_eq!(listing[1]["merchant_id"], "sandbox-merchant-2");
    assert!(listing.iter().all(|va| va["status"] == "active"));
    assert!(
        listed(&env, WALLET2_KEY, &account).await.is_empty(),
        "another wallet's view"
    );

    // The wallet's charge fails for a while: the request is accepted and still running
    // when the revocation comes.
    env.sandbox
        .inject_fault("wallet", "charge", "error", 3, None)
        .await;
    let early = charge(&env.api, MERCHANT_KEY, &virtual_id, "5", None).await;
    early.expect_status(201, "a request before the revocation");
    assert_eq!(
        revoke(&env, WALLET2_KEY, &virtual_id).await,
        404,
        "another wallet's"
    );
    assert_eq!(revoke(&env, WALLET_KEY, &virtual_id).await, 204);
    assert_eq!(
        revoke(&env, WALLET_KEY, &virtual_id).await,
        204,
        "revoking twice"
    );

    charge(&env.api, MERCHANT_KEY, &virtual_id, "5", None)
        .await
        .expect_problem(
            410,
            "virtual_account_revoked",
            "a request after the revocation",
        );
    let done = settled(&env.api, early.body["id"].as_str().unwrap()).await;
    assert_eq!(
        done["status"], "completed",
        "accepted before, finished after: {done}"
    );
    let link = get_link(&env.api, MERCHANT_KEY, &link_id).await;
    assert_eq!(link.body["status"], "revoked", "{}", link.text);
    let listing = listed(&env, WALLET_KEY, &account).await;
    assert_eq!(listing[0]["status"], "revoked");
    assert_eq!(
        listing[1]["status"], "active",
        "the other merchant's id is untouched"
    );
    charge(&env.api, MERCHANT2_KEY, &elsewhere, "5", None)
        .await
        .expect_status(201, "the other merchant's id still works");

    let fresh = linked(&env.api, MERCHANT_KEY, &account).await;
    assert_ne!(fresh, virtual_id, "a revoked id is never handed out again");
    charge(&env.api, MERCHANT_KEY, &fresh, "5", None)
        .await
        .expect_status(201, "the new id works");
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(listed(&env, WALLET_KEY, &account).await.len(), 3);
}

on_both_stores!(a_revoked_virtual_id_is_refused_at_once_and_accepted_requests_finish);
