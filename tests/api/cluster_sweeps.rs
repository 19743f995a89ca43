//! Retention and rekey's store operations on a real Redis Cluster (three masters, three
//! replicas): a walk over the usernames visits every master, a purge deletes a saga with
//! the idempotency record about it though they live in different slots.

use std::collections::BTreeSet;
use std::time::Duration;

use onboard_actors::store::{
    Completion, IdempotencyClaim, NewAccount, NewSaga, RedisStore, SagaMeta, SealedKind, Stores,
    TimerChange, Transition, Writer,
};
use onboard_tests::PrivateCluster;
use onboard_workflows::{SagaKind, SagaStatus};

fn meta(status: SagaStatus) -> SagaMeta {
    SagaMeta {
        kind: SagaKind::PaymentAccountRegistration,
        status,
        owner: "bank".into(),
        created_at_ms: 1_000,
        updated_at_ms: 2_000,
        paused: false,
        retrying: None,
        trace: None,
    }
}

fn writer() -> Writer {
    Writer {
        replica: "test".into(),
        fence: None,
        ttl_ms: 5_000,
    }
}

/// A saga that ran and completed at 2 000 ms, with an idempotency record about it.
async fn completed(stores: &Stores, id: &str) {
    let new = NewSaga {
        id: id.into(),
        meta: meta(SagaStatus::Running),
        state: format!("state of {id}").into_bytes(),
        journal_entry: b"created".to_vec(),
        timer: TimerChange::Keep,
        index: Vec::new(),
        writer: writer(),
    };
    stores.sagas.insert(&new).await.expect("insert");
    let done = Transition {
        id: id.into(),
        expected_version: 1,
        meta: meta(SagaStatus::Completed),
        state: b"done".to_vec(),
        journal_entry: b"completed".to_vec(),
        timer: TimerChange::Keep,
        index: Default::default(),
        writer: writer(),
    };
    stores.sagas.commit(&done).await.expect("commit");
    let key = format!("replay-{id}");
    stores
        .idempotency
        .claim(&key, b"fp", 60_000)
        .await
        .expect("claim");
    let completion = Completion {
        key: &key,
        fingerprint: b"fp",
        response: b"r",
        ttl_ms: 60_000,
        saga_id: Some(id),
    };
    stores
        .idempotency
        .complete(&completion)
        .await
        .expect("complete");
}

#[tokio::test(flavor = "multi_thread")]
async fn usernames_are_walked_on_every_master_and_sagas_purged_across_slots() {
    let cluster = PrivateCluster::started();
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let store = RedisStore::connect(&cluster.urls(), &prefix, Duration::from_secs(10))
        .await
        .expect("connect to the cluster");
    let stores = Stores::of(store);
    for n in 0..40 {
        let account = NewAccount {
            lookup: format!("lookup-{n}"),
            user_id: format!("usr_{n}"),
            sealed_username: format!("name {n}").into_bytes(),
            password_hash: "$argon2id$hash".into(),
        };
        stores
            .tickets
            .create_account(&account)
            .await
            .expect("account");
    }
    let mut seen = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = stores
            .sealed
            .sealed_page(SealedKind::Username, cursor.as_deref(), 7)
            .await
            .expect("page");
        seen.extend(page.values.into_iter().map(|value| value.key));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 40, "{seen:?}");
    assert!(stores
        .sealed
        .reseal(SealedKind::Username, "lookup-7", b"name 7", b"renamed")
        .await
        .expect("reseal"));

    for n in 0..12 {
        completed(&stores, &format!("wf_{n}")).await;
    }
    let purged = stores
        .retention
        .purge_finished(10_000, 100)
        .await
        .expect("purge");
    assert_eq!((purged.sagas, purged.idempotency), (12, 12));
    for n in 0..12 {
        assert!(stores
            .sagas
            .load(&format!("wf_{n}"))
            .await
            .expect("load")
            .is_none());
        let claim = stores
            .idempotency
            .claim(&format!("replay-wf_{n}"), b"fp", 60_000)
            .await
            .expect("claim");
        assert_eq!(claim, IdempotencyClaim::Claimed);
    }
}
