//! Contract cases about the key-addressed records: secondary indexes and idempotency.

use std::time::Duration;

use onboard_actors::store::IdempotencyClaim;

use crate::fixtures::Store;

pub async fn index_add_remove_members(store: Store) {
    let index = "owner:bank 1/accounts";
    store.index_add(index, "b").await.expect("add");
    store.index_add(index, "a").await.expect("add");
    store.index_add(index, "a").await.expect("add twice");
    store.index_add("owner:bank 1", "other").await.expect("add");
    let mut members = store.index_members(index).await.expect("members");
    members.sort();
    assert_eq!(members, ["a", "b"]);
    store.index_remove(index, "a").await.expect("remove");
    store
        .index_remove(index, "never there")
        .await
        .expect("remove absent");
    assert_eq!(store.index_members(index).await.expect("members"), ["b"]);
    assert_eq!(
        store.index_members("owner:bank 1").await.expect("members"),
        ["other"]
    );
    assert!(store
        .index_members("empty")
        .await
        .expect("members")
        .is_empty());
}

pub async fn idempotency_claim_complete_release(store: Store) {
    let ttl = 60_000;
    let claim = |key: &'static str, fingerprint: &'static [u8]| {
        let store = store.clone();
        async move {
            store
                .idempotency_claim(key, fingerprint, ttl)
                .await
                .expect("claim")
        }
    };
    assert_eq!(claim("k", b"fp1").await, IdempotencyClaim::Claimed);
    assert_eq!(
        claim("k", b"fp2").await,
        IdempotencyClaim::InFlight {
            fingerprint: b"fp1".to_vec()
        }
    );
    store
        .idempotency_complete("k", b"fp1", b"response", ttl)
        .await
        .expect("complete");
    let replay = IdempotencyClaim::Completed {
        fingerprint: b"fp1".to_vec(),
        response: b"response".to_vec(),
    };
    assert_eq!(claim("k", b"fp1").await, replay);
    assert_eq!(claim("k", b"fp2").await, replay);
    store.idempotency_release("k").await.expect("release");
    assert_eq!(claim("k", b"fp3").await, IdempotencyClaim::Claimed);
    store.idempotency_release("k").await.expect("release");
    store.idempotency_release("k").await.expect("release twice");
    assert_eq!(claim("other", b"fp").await, IdempotencyClaim::Claimed);
}

pub async fn idempotency_claims_lapse(store: Store) {
    assert_eq!(
        store
            .idempotency_claim("k", b"fp1", 50)
            .await
            .expect("claim"),
        IdempotencyClaim::Claimed
    );
    store
        .idempotency_complete("done", b"fp", b"response", 50)
        .await
        .expect("complete");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        store
            .idempotency_claim("k", b"fp2", 60_000)
            .await
            .expect("claim"),
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        store
            .idempotency_claim("done", b"fp", 60_000)
            .await
            .expect("claim"),
        IdempotencyClaim::Claimed
    );
}

pub async fn attempts_count_within_their_window(store: Store) {
    assert_eq!(store.attempts("acct").await.expect("attempts"), 0);
    for expected in 1..=3 {
        let count = store.count_attempt("acct", 60_000).await.expect("count");
        assert_eq!(count, expected);
    }
    assert_eq!(store.attempts("acct").await.expect("attempts"), 3);
    assert_eq!(store.attempts("other").await.expect("attempts"), 0);
}

pub async fn attempt_windows_lapse(store: Store) {
    store.count_attempt("acct", 50).await.expect("count");
    store.count_attempt("acct", 50).await.expect("count");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(store.attempts("acct").await.expect("attempts"), 0);
    assert_eq!(store.count_attempt("acct", 50).await.expect("count"), 1);
}
