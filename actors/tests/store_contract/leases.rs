//! Leases on Redis (the embedded store serves one process, which holds every lease): one
//! live owner at a time, takeover after expiry with a higher fencing token, and a drive
//! commit refused once its lease is lost.

use std::sync::Arc;
use std::time::Duration;

use onboard_actors::store::{StoreError, Stores, TimerChange, Writer};
use onboard_workflows::SagaStatus;

use crate::fixtures::{insert, running_saga, step};

/// A lease short enough for a test to outlive.
const TTL_MS: u64 = 300;

fn writer(replica: &str, fence: Option<u64>) -> Writer {
    Writer {
        replica: Arc::from(replica),
        fence,
        ttl_ms: TTL_MS,
    }
}

pub async fn one_live_owner_then_a_fenced_takeover(stores: Stores) {
    let (sagas, leases) = (stores.sagas, stores.leases);
    let mut saga = running_saga("s1", 1_000);
    saga.writer = writer("a", None);
    insert(&sagas, &saga).await;
    assert_eq!(
        leases.orphans().await.expect("orphans"),
        Vec::<String>::new()
    );
    assert_eq!(leases.acquire("s1", "b", TTL_MS).await.expect("b"), None);
    assert_eq!(leases.acquire("s1", "a", TTL_MS).await.expect("a"), Some(1));
    assert_eq!(
        leases.acquire("ghost", "a", TTL_MS).await.expect("ghost"),
        None
    );

    tokio::time::sleep(Duration::from_millis(TTL_MS + 100)).await;
    assert_eq!(leases.orphans().await.expect("orphans"), vec!["s1"]);
    assert_eq!(leases.acquire("s1", "b", TTL_MS).await.expect("b"), Some(2));
    assert_eq!(
        leases
            .renew(&[("s1".into(), 1)], "a", TTL_MS)
            .await
            .expect("renew"),
        vec!["s1"],
        "a's lease is lost"
    );

    let mut stale = step("s1", 1, SagaStatus::Running, TimerChange::Keep);
    stale.writer = writer("a", Some(1));
    match sagas.commit(&stale).await {
        Err(StoreError::LeaseLost(id)) => assert_eq!(id, "s1"),
        other => panic!("a commit on a lost lease must be refused: {other:?}"),
    }
    let loaded = sagas.load("s1").await.expect("load").expect("saga");
    assert_eq!(loaded.version, 1, "nothing written");

    let mut current = step("s1", 1, SagaStatus::Running, TimerChange::Keep);
    current.writer = writer("b", Some(2));
    assert_eq!(sagas.commit(&current).await.expect("b commits"), Some(2));
    let mut event = step("s1", 2, SagaStatus::Running, TimerChange::Keep);
    event.writer = writer("a", None);
    assert_eq!(
        sagas
            .commit(&event)
            .await
            .expect("an event commits on version alone"),
        None,
        "b still holds the lease"
    );
}

pub async fn renewal_keeps_and_a_final_commit_releases(stores: Stores) {
    let (sagas, leases) = (stores.sagas, stores.leases);
    let mut saga = running_saga("s1", 1_000);
    saga.writer = writer("a", None);
    insert(&sagas, &saga).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(TTL_MS / 2)).await;
        let lost = leases.renew(&[("s1".into(), 1)], "a", TTL_MS).await;
        assert_eq!(lost.expect("renew"), Vec::<String>::new());
    }
    assert_eq!(leases.acquire("s1", "b", TTL_MS).await.expect("b"), None);

    let mut done = step("s1", 1, SagaStatus::Completed, TimerChange::Clear);
    done.writer = writer("a", Some(1));
    assert_eq!(sagas.commit(&done).await.expect("final commit"), None);
    assert_eq!(
        leases.orphans().await.expect("orphans"),
        Vec::<String>::new()
    );

    let mut other = running_saga("s2", 1_000);
    other.writer = writer("a", None);
    insert(&sagas, &other).await;
    leases.release("s2", "a", 1).await.expect("release");
    assert_eq!(leases.orphans().await.expect("orphans"), vec!["s2"]);
    assert_eq!(leases.acquire("s2", "b", TTL_MS).await.expect("b"), Some(2));
}
