//! The link store's contract: a token is spent once and only while live, one active virtual
//! account per merchant and payment account, completion only with the minted one,
//! revocation by the vouching wallet only, and a listing of an account's virtual accounts.

use std::sync::Arc;

use onboard_actors::store::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoredLink,
};

/// A fresh, empty link store of either backend.
type Links = Arc<dyn LinkStore>;

const NOW: i64 = 1_800_000_000_000;
const TTL_MS: i64 = 600_000;
const WALLET: &str = "wallet-1";

fn new_link(id: &str, merchant: &str, created_at_ms: i64) -> NewLink {
    NewLink {
        id: id.into(),
        merchant_id: merchant.into(),
        sealed_user_ref: vec![0, 159, 146, 150, 255],
        token_hash: format!("hash-of-{id}"),
        created_at_ms,
        expires_at_ms: created_at_ms + TTL_MS,
    }
}

fn candidate(id: &str, account_key: &str, created_at_ms: i64) -> NewVirtualAccount {
    NewVirtualAccount {
        id: id.into(),
        sealed_account: format!("sealed {account_key}").into_bytes(),
        account_key: account_key.into(),
        wallet_id: WALLET.into(),
        created_at_ms,
    }
}

async fn link(store: &Links, id: &str) -> StoredLink {
    store.link(id).await.unwrap().expect("the link exists")
}

/// Creates link `id` for `merchant` and exchanges its token for `account_key`.
async fn exchanged(store: &Links, id: &str, merchant: &str, account_key: &str, va: &str) -> String {
    store
        .create_link(&new_link(id, merchant, NOW))
        .await
        .unwrap();
    let outcome = store
        .exchange(
            &format!("hash-of-{id}"),
            &candidate(va, account_key, NOW + 1),
            NOW + 1,
        )
        .await
        .unwrap();
    match outcome {
        Exchanged::Minted {
            virtual_account_id,
            merchant_id,
        } => {
            assert_eq!(merchant_id, merchant);
            virtual_account_id
        }
        Exchanged::NotFound => panic!("a live token is spent"),
    }
}

pub async fn a_link_is_pending_until_exchanged_and_completed(store: Links) {
    store
        .create_link(&new_link("lnk_1", "m-1", NOW))
        .await
        .unwrap();
    let pending = link(&store, "lnk_1").await;
    assert_eq!(pending.merchant_id, "m-1");
    assert_eq!(pending.sealed_user_ref, vec![0, 159, 146, 150, 255]);
    assert_eq!((pending.created_at_ms, pending.updated_at_ms), (NOW, NOW));
    assert_eq!(pending.expires_at_ms, NOW + TTL_MS);
    assert_eq!(pending.virtual_account_id, None);
    assert!(!pending.linked && !pending.revoked);
    assert_eq!(store.link("lnk_2").await.unwrap(), None);

    let va = exchanged(&store, "lnk_3", "m-1", "acct-a", "va_a").await;
    assert_eq!(va, "va_a");
    let minted = link(&store, "lnk_3").await;
    assert_eq!(minted.virtual_account_id.as_deref(), Some("va_a"));
    assert_eq!(minted.updated_at_ms, NOW + 1);
    assert!(!minted.linked);

    let completed = store
        .complete("lnk_3", "m-1", "va_a", NOW + 2)
        .await
        .unwrap();
    let Completed::Linked(linked) = completed else {
        panic!("the minted virtual account completes the link");
    };
    assert!(linked.linked);
    assert_eq!(linked.updated_at_ms, NOW + 2);
    let again = store
        .complete("lnk_3", "m-1", "va_a", NOW + 3)
        .await
        .unwrap();
    assert_eq!(
        again,
        Completed::Linked(linked),
        "completing twice changes nothing"
    );
}

pub async fn a_token_is_spent_once_and_only_while_live(store: Links) {
    store
        .create_link(&new_link("lnk_1", "m-1", NOW))
        .await
        .unwrap();
    let unknown = store
        .exchange("hash-of-nothing", &candidate("va_x", "acct-a", NOW), NOW)
        .await
        .unwrap();
    assert_eq!(unknown, Exchanged::NotFound);
    let late = store
        .exchange(
            "hash-of-lnk_1",
            &candidate("va_x", "acct-a", NOW),
            NOW + TTL_MS,
        )
        .await
        .unwrap();
    assert_eq!(
        late,
        Exchanged::NotFound,
        "an expired token is spent on nothing"
    );
    assert_eq!(link(&store, "lnk_1").await.virtual_account_id, None);
    assert_eq!(store.virtual_account("va_x").await.unwrap(), None);

    exchanged(&store, "lnk_2", "m-1", "acct-a", "va_a").await;
    let reused = store
        .exchange(
            "hash-of-lnk_2",
            &candidate("va_y", "acct-b", NOW + 2),
            NOW + 2,
        )
        .await
        .unwrap();
    assert_eq!(reused, Exchanged::NotFound, "a used token is spent");
    assert_eq!(store.virtual_account("va_y").await.unwrap(), None);
}

pub async fn one_active_virtual_account_per_merchant_and_account(store: Links) {
    let first = exchanged(&store, "lnk_1", "m-1", "acct-a", "va_1").await;
    let same = exchanged(&store, "lnk_2", "m-1", "acct-a", "va_2").await;
    assert_eq!(
        same, first,
        "the same merchant and account keep one virtual account"
    );
    assert_eq!(store.virtual_account("va_2").await.unwrap(), None);
    let other_merchant = exchanged(&store, "lnk_3", "m-2", "acct-a", "va_3").await;
    assert_eq!(other_merchant, "va_3");
    let other_account = exchanged(&store, "lnk_4", "m-1", "acct-b", "va_4").await;
    assert_eq!(other_account, "va_4");

    let stored = store.virtual_account("va_1").await.unwrap().unwrap();
    assert_eq!(stored.merchant_id, "m-1");
    assert_eq!(stored.wallet_id, WALLET);
    assert_eq!(
        stored.sealed_account.as_deref(),
        Some(&b"sealed acct-a"[..])
    );
    assert_eq!(stored.created_at_ms, NOW + 1);
    assert_eq!(stored.revoked_at_ms, None);

    let listed: Vec<String> = store
        .virtual_accounts_of("acct-a")
        .await
        .unwrap()
        .into_iter()
        .map(|va| va.id)
        .collect();
    assert_eq!(listed, ["va_1", "va_3"]);
    assert!(store
        .virtual_accounts_of("acct-z")
        .await
        .unwrap()
        .is_empty());
}

pub async fn only_the_minted_virtual_account_completes_a_link(store: Links) {
    store
        .create_link(&new_link("lnk_0", "m-1", NOW))
        .await
        .unwrap();
    let not_yet = store.complete("lnk_0", "m-1", "va_1", NOW).await.unwrap();
    assert_eq!(
        not_yet,
        Completed::Mismatch,
        "no exchange minted anything yet"
    );
    exchanged(&store, "lnk_1", "m-1", "acct-a", "va_1").await;
    exchanged(&store, "lnk_2", "m-1", "acct-b", "va_2").await;
    let wrong = store.complete("lnk_1", "m-1", "va_2", NOW).await.unwrap();
    assert_eq!(wrong, Completed::Mismatch);
    let foreign = store.complete("lnk_1", "m-2", "va_1", NOW).await.unwrap();
    assert_eq!(
        foreign,
        Completed::NotFound,
        "another merchant's link is not found"
    );
    let missing = store.complete("lnk_9", "m-1", "va_1", NOW).await.unwrap();
    assert_eq!(missing, Completed::NotFound);
    assert!(!link(&store, "lnk_1").await.linked);
}

pub async fn revocation_is_the_wallets_and_frees_the_pair(store: Links) {
    exchanged(&store, "lnk_1", "m-1", "acct-a", "va_1").await;
    store
        .complete("lnk_1", "m-1", "va_1", NOW + 2)
        .await
        .unwrap();
    let foreign = store.revoke("va_1", "wallet-2", NOW + 3).await.unwrap();
    assert_eq!(foreign, Revoked::NotFound);
    assert_eq!(
        store.revoke("va_9", WALLET, NOW + 3).await.unwrap(),
        Revoked::NotFound
    );
    assert!(!link(&store, "lnk_1").await.revoked);

    assert_eq!(
        store.revoke("va_1", WALLET, NOW + 4).await.unwrap(),
        Revoked::Revoked
    );
    assert_eq!(
        store.revoke("va_1", WALLET, NOW + 5).await.unwrap(),
        Revoked::Revoked
    );
    let revoked = store.virtual_account("va_1").await.unwrap().unwrap();
    assert_eq!(
        revoked.revoked_at_ms,
        Some(NOW + 4),
        "the first revocation counts"
    );
    let link_now = link(&store, "lnk_1").await;
    assert!(link_now.revoked && link_now.linked);

    let fresh = exchanged(&store, "lnk_2", "m-1", "acct-a", "va_2").await;
    assert_eq!(
        fresh, "va_2",
        "a revoked virtual account is never handed out again"
    );
    let listed: Vec<(String, bool)> = store
        .virtual_accounts_of("acct-a")
        .await
        .unwrap()
        .into_iter()
        .map(|va| (va.id, va.revoked_at_ms.is_some()))
        .collect();
    assert_eq!(listed, [("va_1".into(), true), ("va_2".into(), false)]);
}

pub async fn concurrent_exchanges_of_one_token_spend_it_once(store: Links) {
    store
        .create_link(&new_link("lnk_1", "m-1", NOW))
        .await
        .unwrap();
    let attempts = (0..8).map(|n| {
        let store = store.clone();
        tokio::spawn(async move {
            let account_key = format!("acct-{n}");
            store
                .exchange(
                    "hash-of-lnk_1",
                    &candidate(&format!("va_{n}"), &account_key, NOW),
                    NOW,
                )
                .await
                .unwrap()
        })
    });
    let outcomes = futures::future::join_all(attempts).await;
    let minted = outcomes
        .into_iter()
        .filter(|outcome| matches!(outcome, Ok(Exchanged::Minted { .. })))
        .count();
    assert_eq!(minted, 1);
}
