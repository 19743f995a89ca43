//! The retention store's contract: finished sagas go whole once their period has passed,
//! oldest first and bounded, counted once however many purge at once; waiting, running
//! and failed sagas keep everything; links whose token lapsed unused go once their period
//! has passed, and exchanged ones stay.

use onboard_actors::store::{
    Completion, Exchanged, IdempotencyClaim, ListFilter, NewLink, NewVirtualAccount, Purged,
    Revoked, SealedKind, StoreError, Stores, TimerChange,
};
use onboard_workflows::SagaStatus;

use crate::fixtures::{insert, new_saga, row, running_saga, step};

/// A saga that ran, holding an index row and a timer, then finished as `status` at
/// 2 001 ms (the fixtures' clock), leaving the row and timer in place; with an
/// idempotency record about it.
async fn finished(stores: &Stores, id: &str, status: SagaStatus) {
    let mut saga = running_saga(id, 1_000);
    saga.index = vec![row(&format!("prompts:{id}"), &format!("{id}-p1"))];
    insert(&stores.sagas, &saga).await;
    stores
        .sagas
        .commit(&step(id, 1, status, TimerChange::Keep))
        .await
        .expect("finish");
    about(stores, &format!("replay-{id}"), id).await;
}

/// Completes the idempotency record `key` with a response about saga `id`.
async fn about(stores: &Stores, key: &str, id: &str) {
    stores
        .idempotency
        .claim(key, b"fp", 60_000)
        .await
        .expect("claim");
    let completion = Completion {
        key,
        fingerprint: b"fp",
        response: b"response",
        ttl_ms: 60_000,
        saga_id: Some(id),
    };
    stores
        .idempotency
        .complete(&completion)
        .await
        .expect("complete");
}

async fn purge(stores: &Stores, finished_by_ms: i64, limit: usize) -> Purged {
    stores
        .retention
        .purge_finished(finished_by_ms, limit)
        .await
        .expect("purge")
}

/// Whether anything of saga `id` is still readable through the stores.
async fn remains(stores: &Stores, id: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    if stores.sagas.load(id).await.expect("load").is_some() {
        found.push("saga");
    }
    if !stores.sagas.journal(id).await.expect("journal").is_empty() {
        found.push("journal");
    }
    let listed = stores
        .sagas
        .list(&ListFilter::default())
        .await
        .expect("list");
    if listed.iter().any(|saga| saga.id == id) {
        found.push("listing");
    }
    let rows = stores
        .indexes
        .members(&format!("prompts:{id}"))
        .await
        .expect("members");
    if !rows.is_empty() {
        found.push("index row");
    }
    let timers = stores
        .sagas
        .claim_due_timers(i64::MAX / 2, 1_000, crate::fixtures::HOLD)
        .await
        .expect("timers");
    if timers.iter().any(|timer| timer.saga_id == id) {
        found.push("timer");
    }
    if stores
        .sagas
        .active()
        .await
        .expect("active")
        .iter()
        .any(|a| a == id)
    {
        found.push("active");
    }
    let replay = stores
        .idempotency
        .claim(&format!("replay-{id}"), b"fp", 60_000)
        .await
        .expect("claim");
    if replay != IdempotencyClaim::Claimed {
        found.push("idempotency record");
    }
    found
}

pub async fn finished_sagas_go_whole_after_their_period(stores: Stores) {
    finished(&stores, "done", SagaStatus::Completed).await;
    finished(&stores, "undone", SagaStatus::Compensated).await;
    finished(&stores, "broken", SagaStatus::Failed).await;
    finished(&stores, "parked", SagaStatus::Waiting).await;
    finished(&stores, "busy", SagaStatus::Running).await;

    assert_eq!(purge(&stores, 2_000, 100).await, Purged::default());
    let purged = purge(&stores, 10_000, 100).await;
    assert_eq!((purged.sagas, purged.idempotency), (2, 2), "{purged:?}");

    for id in ["done", "undone"] {
        assert_eq!(remains(&stores, id).await, Vec::<&str>::new(), "{id}");
    }
    for id in ["broken", "parked", "busy"] {
        let kept = remains(&stores, id).await;
        assert!(
            [
                "saga",
                "journal",
                "listing",
                "index row",
                "idempotency record"
            ]
            .iter()
            .all(|part| kept.contains(part)),
            "{id} kept only {kept:?}"
        );
    }
    assert_eq!(purge(&stores, 10_000, 100).await, Purged::default());
}

pub async fn purges_go_oldest_first_and_stop_at_their_limit(stores: Stores) {
    for (id, at) in [("third", 2_300), ("first", 2_100), ("second", 2_200)] {
        insert(
            &stores.sagas,
            &new_saga(id, SagaStatus::Running, 1_000, TimerChange::Keep),
        )
        .await;
        let mut done = step(id, 1, SagaStatus::Completed, TimerChange::Keep);
        done.meta.updated_at_ms = at;
        stores.sagas.commit(&done).await.expect("finish");
    }
    assert_eq!(purge(&stores, 2_250, 100).await.sagas, 2);
    assert!(stores.sagas.load("third").await.expect("load").is_some());
    assert_eq!(purge(&stores, 10_000, 1).await.sagas, 1);
    assert!(stores.sagas.load("third").await.expect("load").is_none());
}

pub async fn concurrent_purges_count_each_saga_once(stores: Stores) {
    for n in 0..20 {
        ran_then(&stores, &format!("s{n}"), SagaStatus::Completed).await;
    }
    let purges = (0..4).map(|_| {
        let retention = stores.retention.clone();
        async move { retention.purge_finished(10_000, 7).await }
    });
    let mut total = 0;
    for _ in 0..5 {
        let rounds: Vec<Result<Purged, StoreError>> =
            futures::future::join_all(purges.clone()).await;
        total += rounds
            .into_iter()
            .map(|purged| purged.expect("purge").sagas)
            .sum::<u64>();
    }
    assert_eq!(total, 20);
    assert!(stores
        .sagas
        .list(&ListFilter::default())
        .await
        .expect("list")
        .is_empty());
}

pub async fn a_key_used_again_for_another_saga_stays_with_it(stores: Stores) {
    finished(&stores, "old", SagaStatus::Completed).await;
    insert(&stores.sagas, &running_saga("new", 1_500)).await;
    // The record expired and its key was used again, now about another saga.
    stores
        .idempotency
        .release("replay-old")
        .await
        .expect("release");
    about(&stores, "replay-old", "new").await;
    let purged = purge(&stores, 10_000, 100).await;
    assert_eq!((purged.sagas, purged.idempotency), (1, 0));
    assert!(matches!(
        stores
            .idempotency
            .claim("replay-old", b"fp", 60_000)
            .await
            .expect("claim"),
        IdempotencyClaim::Completed { .. }
    ));
}

/// Saga `id`, created running at 1 000 ms, then moved to `status` (at 2 001 ms).
async fn ran_then(stores: &Stores, id: &str, status: SagaStatus) {
    insert(
        &stores.sagas,
        &new_saga(id, SagaStatus::Running, 1_000, TimerChange::Keep),
    )
    .await;
    stores
        .sagas
        .commit(&step(id, 1, status, TimerChange::Keep))
        .await
        .expect("commit");
}

/// Finishes `n` sagas (completed at 2 001 ms) and leaves `n` waiting.
pub async fn finish_some(stores: &Stores, n: usize) {
    for i in 0..n {
        for (prefix, status) in [("f", SagaStatus::Completed), ("w", SagaStatus::Waiting)] {
            ran_then(stores, &format!("{prefix}{i}"), status).await;
        }
    }
}

/// Walks the whole backfill `limit` sagas at a time; answers how many it indexed.
pub async fn backfill(stores: &Stores, limit: usize) -> u64 {
    let mut indexed = 0;
    let mut cursor: Option<String> = None;
    for _ in 0..10_000 {
        let step = stores
            .retention
            .backfill_finished(cursor.as_deref(), limit)
            .await
            .expect("backfill");
        indexed += step.indexed;
        match step.next {
            Some(next) => cursor = Some(next),
            None => return indexed,
        }
    }
    panic!("the backfill did not end");
}

pub async fn a_backfill_walks_every_saga_and_indexes_none_twice(stores: Stores) {
    finish_some(&stores, 12).await;
    assert_eq!(backfill(&stores, 5).await, 0);
    assert_eq!(purge(&stores, 10_000, 100).await.sagas, 12);
    assert_eq!(backfill(&stores, 5).await, 0);
}

/// Creates link `id` whose token lapses at `expires_at_ms`.
async fn lapsing_link(stores: &Stores, id: &str, expires_at_ms: i64) {
    let link = NewLink {
        id: id.into(),
        merchant_id: "m-1".into(),
        sealed_user_ref: vec![1, 2, 3],
        token_hash: format!("hash-of-{id}"),
        created_at_ms: expires_at_ms - 1_000,
        expires_at_ms,
    };
    stores.links.create_link(&link).await.expect("create link");
}

async fn purge_lapsed(stores: &Stores, lapsed_by_ms: i64, limit: usize) -> u64 {
    stores
        .retention
        .purge_lapsed_links(lapsed_by_ms, limit)
        .await
        .expect("purge lapsed links")
}

async fn link_exists(stores: &Stores, id: &str) -> bool {
    stores.links.link(id).await.expect("link").is_some()
}

pub async fn lapsed_links_go_after_their_period_and_exchanged_ones_stay(stores: Stores) {
    lapsing_link(&stores, "lnk_first", 2_000).await;
    lapsing_link(&stores, "lnk_second", 3_000).await;
    lapsing_link(&stores, "lnk_later", 6_000).await;
    lapsing_link(&stores, "lnk_used", 2_000).await;
    let candidate = NewVirtualAccount {
        id: "va_1".into(),
        sealed_account: b"sealed".to_vec(),
        account_key: "acct-a".into(),
        wallet_id: "wallet-1".into(),
        created_at_ms: 1_500,
    };
    let exchanged = stores
        .links
        .exchange("hash-of-lnk_used", &candidate, 1_500)
        .await
        .expect("exchange");
    assert!(
        matches!(exchanged, Exchanged::Minted { .. }),
        "{exchanged:?}"
    );

    assert_eq!(
        purge_lapsed(&stores, 1_999, 10).await,
        0,
        "nothing lapsed yet"
    );
    assert!(link_exists(&stores, "lnk_first").await);

    assert_eq!(purge_lapsed(&stores, 5_000, 1).await, 1, "the limit holds");
    assert!(
        !link_exists(&stores, "lnk_first").await,
        "the earliest goes first"
    );
    assert!(link_exists(&stores, "lnk_second").await);

    assert_eq!(purge_lapsed(&stores, 5_000, 10).await, 1);
    assert!(!link_exists(&stores, "lnk_second").await);
    assert!(
        link_exists(&stores, "lnk_later").await,
        "not lapsed by the cutoff"
    );
    assert!(
        link_exists(&stores, "lnk_used").await,
        "an exchanged link stays"
    );

    assert_eq!(purge_lapsed(&stores, 10_000, 10).await, 1);
    assert!(!link_exists(&stores, "lnk_later").await);
    assert_eq!(
        purge_lapsed(&stores, 10_000, 10).await,
        0,
        "a purge is idempotent"
    );
    assert!(link_exists(&stores, "lnk_used").await);
    let virtual_account = stores.links.virtual_account("va_1").await.expect("read");
    assert!(virtual_account.is_some(), "the virtual account stays");
}

/// Mints virtual account `id` for account `account_key` through link `link_id`.
async fn minted(stores: &Stores, link_id: &str, id: &str, account_key: &str) {
    lapsing_link(stores, link_id, 100_000).await;
    let candidate = NewVirtualAccount {
        id: id.into(),
        sealed_account: format!("sealed {id}").into_bytes(),
        account_key: account_key.into(),
        wallet_id: "wallet-1".into(),
        created_at_ms: 1_000,
    };
    let exchanged = stores
        .links
        .exchange(&format!("hash-of-{link_id}"), &candidate, 1_000)
        .await
        .expect("exchange");
    assert!(
        matches!(exchanged, Exchanged::Minted { .. }),
        "{exchanged:?}"
    );
}

async fn forget(stores: &Stores, revoked_by_ms: i64, limit: usize) -> u64 {
    stores
        .retention
        .forget_revoked_accounts(revoked_by_ms, limit)
        .await
        .expect("forget revoked accounts")
}

pub async fn revoked_accounts_are_forgotten_after_their_period(stores: Stores) {
    minted(&stores, "lnk_1", "va_first", "acct-a").await;
    lapsing_link(&stores, "lnk_2", 100_000).await;
    minted(&stores, "lnk_3", "va_second", "acct-b").await;
    minted(&stores, "lnk_4", "va_active", "acct-c").await;
    for (id, at) in [("va_first", 2_000), ("va_second", 3_000)] {
        let revoked = stores.links.revoke(id, "wallet-1", at).await;
        assert_eq!(revoked.expect("revoke"), Revoked::Revoked);
    }

    assert_eq!(forget(&stores, 1_999, 10).await, 0, "nothing revoked yet");
    assert_eq!(forget(&stores, 5_000, 1).await, 1, "the limit holds");
    let first = stores
        .links
        .virtual_account("va_first")
        .await
        .expect("read");
    let first = first.expect("the id stays");
    assert_eq!(first.sealed_account, None, "the earliest goes first");
    assert_eq!(first.revoked_at_ms, Some(2_000));
    assert_eq!(first.merchant_id, "m-1");
    let listed = stores
        .links
        .virtual_accounts_of("acct-a")
        .await
        .expect("list");
    assert!(listed.is_empty(), "{listed:?}");
    let second = stores
        .links
        .virtual_account("va_second")
        .await
        .expect("read");
    assert!(second.expect("kept").sealed_account.is_some());

    assert_eq!(forget(&stores, 5_000, 10).await, 1);
    assert_eq!(
        forget(&stores, 5_000, 10).await,
        0,
        "forgetting is idempotent"
    );
    let active = stores
        .links
        .virtual_account("va_active")
        .await
        .expect("read");
    assert!(
        active.expect("kept").sealed_account.is_some(),
        "an active one stays"
    );
    let link = stores
        .links
        .link("lnk_1")
        .await
        .expect("read")
        .expect("kept");
    assert!(link.revoked, "its link still reads revoked");

    let mut walked = Vec::new();
    let mut cursor = None;
    loop {
        let page = stores
            .sealed
            .sealed_page(SealedKind::VirtualAccount, cursor.as_deref(), 100)
            .await
            .expect("walk");
        walked.extend(page.values.into_iter().map(|value| value.key));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(walked, ["va_active"], "a rekey walks only what is kept");
}
