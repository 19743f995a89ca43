//! The sealed-values contract: a walk meets every saga state, username, link user reference
//! and virtual account, and a replacement is a compare-and-set that changes nothing else.

use std::collections::BTreeMap;

use onboard_actors::store::{
    Exchanged, NewAccount, NewLink, NewVirtualAccount, SealedKind, SealedValue, Stores, TimerChange,
};
use onboard_workflows::SagaStatus;

use crate::fixtures::{insert, new_saga};

/// Every value of `kind`, walked `limit` at a time, by key.
async fn walk(stores: &Stores, kind: SealedKind, limit: usize) -> BTreeMap<String, SealedValue> {
    let mut found = BTreeMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let page = stores
            .sealed
            .sealed_page(kind, cursor.as_deref(), limit)
            .await
            .expect("page");
        for value in page.values {
            found.insert(value.key.clone(), value);
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return found,
        }
    }
    panic!("the walk did not end");
}

fn account(n: u32) -> NewAccount {
    NewAccount {
        lookup: format!("lookup-{n}"),
        user_id: format!("usr_{n}"),
        sealed_username: format!("sealed name {n}").into_bytes(),
        password_hash: "$argon2id$hash".into(),
    }
}

async fn fill(stores: &Stores) {
    for n in 0..23 {
        let id = format!("saga-{n:02}");
        insert(
            &stores.sagas,
            &new_saga(&id, SagaStatus::Waiting, 1_000 + n, TimerChange::Keep),
        )
        .await;
    }
    for n in 0..7 {
        stores
            .tickets
            .create_account(&account(n))
            .await
            .expect("account");
    }
}

pub async fn a_walk_meets_every_sealed_value(stores: Stores) {
    fill(&stores).await;
    let states = walk(&stores, SealedKind::SagaState, 4).await;
    assert_eq!(states.len(), 23);
    for (id, value) in &states {
        assert_eq!(value.context, *id);
        assert_eq!(value.sealed, format!("state of {id}").into_bytes());
    }
    let names = walk(&stores, SealedKind::Username, 3).await;
    assert_eq!(names.len(), 7, "{:?}", names.keys());
    for n in 0..7 {
        let value = &names[&format!("lookup-{n}")];
        assert_eq!(value.context, format!("usr_{n}"));
        assert_eq!(value.sealed, format!("sealed name {n}").into_bytes());
    }
}

pub async fn a_reseal_replaces_only_the_bytes_read(stores: Stores) {
    fill(&stores).await;
    let sealed = &stores.sealed;
    let state = SealedKind::SagaState;
    assert!(!sealed
        .reseal(state, "saga-03", b"something else", b"new")
        .await
        .expect("reseal"));
    assert!(!sealed
        .reseal(state, "missing", b"state of missing", b"new")
        .await
        .expect("reseal"));
    assert!(sealed
        .reseal(state, "saga-03", b"state of saga-03", b"new")
        .await
        .expect("reseal"));
    let saga = stores
        .sagas
        .load("saga-03")
        .await
        .expect("load")
        .expect("kept");
    assert_eq!((saga.version, saga.state.as_slice()), (1, &b"new"[..]));
    assert_eq!(saga.meta.status, SagaStatus::Waiting);

    let name = SealedKind::Username;
    assert!(!sealed
        .reseal(name, "lookup-2", b"sealed name 1", b"renamed")
        .await
        .expect("reseal"));
    assert!(sealed
        .reseal(name, "lookup-2", b"sealed name 2", b"renamed")
        .await
        .expect("reseal"));
    let names = walk(&stores, name, 100).await;
    assert_eq!(names["lookup-2"].sealed, b"renamed");
    assert_eq!(names["lookup-2"].context, "usr_2");
    let login = stores.tickets.login_state("lookup-2").await.expect("login");
    assert_eq!(login.account.expect("account").user_id, "usr_2");
}

/// Creates link `lnk_n` with its token spent on virtual account `va_n`.
async fn linked(stores: &Stores, n: u32) {
    let id = format!("lnk_{n}");
    let link = NewLink {
        id: id.clone(),
        merchant_id: "m-1".into(),
        sealed_user_ref: format!("sealed ref {n}").into_bytes(),
        token_hash: format!("token-{n}"),
        created_at_ms: 1_000,
        expires_at_ms: 600_000,
    };
    stores.links.create_link(&link).await.expect("link");
    let candidate = NewVirtualAccount {
        id: format!("va_{n}"),
        sealed_account: format!("sealed account {n}").into_bytes(),
        account_key: format!("account-{n}"),
        wallet_id: "w-1".into(),
        created_at_ms: 2_000,
    };
    let exchanged = stores
        .links
        .exchange(&link.token_hash, &candidate, 2_000)
        .await
        .expect("exchange");
    assert!(matches!(exchanged, Exchanged::Minted { .. }));
}

pub async fn links_and_virtual_accounts_are_walked_and_resealed(stores: Stores) {
    for n in 0..5 {
        linked(&stores, n).await;
    }
    let refs = walk(&stores, SealedKind::LinkUserRef, 2).await;
    let accounts = walk(&stores, SealedKind::VirtualAccount, 2).await;
    assert_eq!((refs.len(), accounts.len()), (5, 5));
    for n in 0..5 {
        let link = &refs[&format!("lnk_{n}")];
        assert_eq!(link.context, format!("lnk_{n}"));
        assert_eq!(link.sealed, format!("sealed ref {n}").into_bytes());
        let account = &accounts[&format!("va_{n}")];
        assert_eq!(account.context, format!("va_{n}"));
        assert_eq!(account.sealed, format!("sealed account {n}").into_bytes());
    }
    let sealed = &stores.sealed;
    let (link, account) = (SealedKind::LinkUserRef, SealedKind::VirtualAccount);
    assert!(!sealed
        .reseal(link, "lnk_1", b"other", b"new")
        .await
        .expect("reseal"));
    assert!(sealed
        .reseal(link, "lnk_1", b"sealed ref 1", b"new ref")
        .await
        .expect("reseal"));
    assert!(sealed
        .reseal(account, "va_1", b"sealed account 1", b"new account")
        .await
        .expect("reseal"));
    let stored = stores
        .links
        .link("lnk_1")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(stored.sealed_user_ref, b"new ref");
    assert_eq!(stored.virtual_account_id.as_deref(), Some("va_1"));
    let virtual_account = stores
        .links
        .virtual_account("va_1")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(
        virtual_account.sealed_account.as_deref(),
        Some(&b"new account"[..])
    );
    assert_eq!(virtual_account.merchant_id, "m-1");
}
