//! The saga store's contract: writes, versions, journal, timers, active set, listing.

use onboard_actors::store::{InsertOutcome, ListFilter, StoreError, TimerChange};
use onboard_workflows::{SagaKind, SagaStatus};

use crate::fixtures::{claim, ids, insert, new_saga, running_saga, step, timer, Sagas, HOLD};

pub async fn insert_then_load(store: Sagas) {
    let saga = running_saga("s1", 1_000);
    insert(&store, &saga).await;
    let stored = store.load("s1").await.expect("load").expect("stored");
    assert_eq!(stored.id, "s1");
    assert_eq!(stored.version, 1);
    assert_eq!(stored.meta, saga.meta);
    assert_eq!(stored.state, saga.state);
    assert_eq!(
        store.journal("s1").await.expect("journal"),
        vec![b"created".to_vec()]
    );
    assert_eq!(store.load("missing").await.expect("load"), None);
    assert!(store.journal("missing").await.expect("journal").is_empty());
}

pub async fn the_trace_context_stays_with_the_saga(store: Sagas) {
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let mut saga = running_saga("s1", 1_000);
    saga.meta.trace = Some(traceparent.into());
    insert(&store, &saga).await;
    let mut transition = step("s1", 1, SagaStatus::Waiting, TimerChange::Keep);
    transition.meta.trace = saga.meta.trace.clone();
    store.commit(&transition).await.expect("commit");
    let stored = store.load("s1").await.expect("load").expect("stored");
    assert_eq!(stored.meta.trace.as_deref(), Some(traceparent));
}

pub async fn insert_twice_keeps_the_original(store: Sagas) {
    let original = running_saga("s1", 1_000);
    insert(&store, &original).await;
    let mut second = new_saga("s1", SagaStatus::Failed, 9_000, TimerChange::Clear);
    second.state = b"other".to_vec();
    assert_eq!(
        store.insert(&second).await.expect("insert"),
        InsertOutcome::AlreadyExists
    );
    let stored = store.load("s1").await.expect("load").expect("stored");
    assert_eq!(
        (stored.version, stored.meta, stored.state),
        (1, original.meta, original.state)
    );
    assert_eq!(store.journal("s1").await.expect("journal").len(), 1);
    assert_eq!(claim(&store, 10_000, 10).await, vec![timer("s1", 5_000)]);
    assert_eq!(store.active().await.expect("active"), vec!["s1"]);
}

pub async fn commit_bumps_the_version(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    let transition = step("s1", 1, SagaStatus::Waiting, TimerChange::Keep);
    store.commit(&transition).await.expect("commit");
    let stored = store.load("s1").await.expect("load").expect("stored");
    assert_eq!(stored.version, 2);
    assert_eq!(stored.meta, transition.meta);
    assert_eq!(stored.state, transition.state);
    store
        .commit(&step("s1", 2, SagaStatus::Running, TimerChange::Keep))
        .await
        .expect("second commit");
    assert_eq!(
        store
            .load("s1")
            .await
            .expect("load")
            .expect("stored")
            .version,
        3
    );
}

pub async fn stale_commit_changes_nothing(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    store
        .commit(&step("s1", 1, SagaStatus::Running, TimerChange::Set(7_000)))
        .await
        .expect("commit");
    let before = store.load("s1").await.expect("load");
    let stale = step("s1", 1, SagaStatus::Completed, TimerChange::Clear);
    match store.commit(&stale).await {
        Err(StoreError::VersionConflict { id, expected }) => {
            assert_eq!((id.as_str(), expected), ("s1", 1))
        }
        other => panic!("expected a version conflict, got {other:?}"),
    }
    assert_eq!(store.load("s1").await.expect("load"), before);
    assert_eq!(store.journal("s1").await.expect("journal").len(), 2);
    assert_eq!(claim(&store, 10_000, 10).await, vec![timer("s1", 7_000)]);
    assert_eq!(store.active().await.expect("active"), vec!["s1"]);
}

pub async fn commit_on_missing_saga_is_not_found(store: Sagas) {
    match store
        .commit(&step("ghost", 1, SagaStatus::Running, TimerChange::Set(1)))
        .await
    {
        Err(StoreError::NotFound(id)) => assert_eq!(id, "ghost"),
        other => panic!("expected not found, got {other:?}"),
    }
    assert_eq!(store.load("ghost").await.expect("load"), None);
    assert!(claim(&store, i64::MAX, 10).await.is_empty());
    assert!(store.active().await.expect("active").is_empty());
}

pub async fn journal_keeps_order(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    for version in 1..=4 {
        store
            .commit(&step("s1", version, SagaStatus::Running, TimerChange::Keep))
            .await
            .expect("commit");
    }
    let expected: Vec<Vec<u8>> = std::iter::once(b"created".to_vec())
        .chain((1..=4).map(|v| format!("step {v}").into_bytes()))
        .collect();
    assert_eq!(store.journal("s1").await.expect("journal"), expected);
}

pub async fn timers_follow_set_keep_clear(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    let due = |store: Sagas| async move { claim(&store, i64::MAX, 10).await };
    store
        .commit(&step("s1", 1, SagaStatus::Running, TimerChange::Keep))
        .await
        .expect("keep");
    assert_eq!(due(store.clone()).await, vec![timer("s1", 5_000)]);
    store
        .commit(&step("s1", 2, SagaStatus::Running, TimerChange::Set(3_000)))
        .await
        .expect("set");
    assert_eq!(due(store.clone()).await, vec![timer("s1", 3_000)]);
    store
        .commit(&step("s1", 3, SagaStatus::Running, TimerChange::Clear))
        .await
        .expect("clear");
    assert!(due(store.clone()).await.is_empty());
    store
        .commit(&step("s1", 4, SagaStatus::Running, TimerChange::Clear))
        .await
        .expect("clear again");
    assert!(due(store).await.is_empty());
}

pub async fn armed_timers_are_counted(store: Sagas) {
    assert_eq!(store.armed_timers().await.expect("count"), 0);
    insert(&store, &running_saga("a", 1_000)).await;
    insert(
        &store,
        &new_saga("b", SagaStatus::Waiting, 1_000, TimerChange::Set(9_000)),
    )
    .await;
    insert(
        &store,
        &new_saga("untimed", SagaStatus::Running, 1_000, TimerChange::Keep),
    )
    .await;
    assert_eq!(store.armed_timers().await.expect("count"), 2);
    store
        .commit(&step("a", 1, SagaStatus::Running, TimerChange::Set(7_000)))
        .await
        .expect("re-arm");
    assert_eq!(store.armed_timers().await.expect("count"), 2);
    store
        .commit(&step("b", 1, SagaStatus::Completed, TimerChange::Clear))
        .await
        .expect("clear");
    assert_eq!(store.armed_timers().await.expect("count"), 1);
}

pub async fn due_timers_are_claimed_in_order_and_held(store: Sagas) {
    for (id, at) in [("a", 300), ("b", 100), ("c", 200), ("d", 900)] {
        insert(
            &store,
            &new_saga(id, SagaStatus::Waiting, 1_000, TimerChange::Set(at)),
        )
        .await;
    }
    assert_eq!(claim(&store, 99, 10).await, vec![]);
    assert_eq!(claim(&store, 300, 0).await, vec![]);
    assert_eq!(
        claim(&store, 300, 10).await,
        vec![timer("b", 100), timer("c", 200), timer("a", 300)]
    );
    assert_eq!(
        claim(&store, 300, 10).await,
        vec![],
        "a claimed timer is not claimed again while held"
    );
    assert_eq!(claim(&store, 1_000, 10).await, vec![timer("d", 900)]);
    let again = claim(&store, HOLD, 10).await;
    assert_eq!(
        again.len(),
        4,
        "a held timer fires again once its hold passed"
    );
    assert!(again.iter().all(|t| t.at_ms == HOLD), "{again:?}");
    assert_eq!(store.armed_timers().await.expect("count"), 4);
}

pub async fn active_set_follows_status(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    insert(
        &store,
        &new_saga("parked", SagaStatus::Waiting, 1_000, TimerChange::Keep),
    )
    .await;
    let active = |store: Sagas| async move { store.active().await.expect("active") };
    assert_eq!(active(store.clone()).await, vec!["s1"]);
    let statuses = [
        (SagaStatus::Waiting, false),
        (SagaStatus::Compensating, true),
        (SagaStatus::Compensated, false),
        (SagaStatus::Running, true),
        (SagaStatus::Failed, false),
    ];
    for (version, (status, driven)) in (1..).zip(statuses) {
        store
            .commit(&step("s1", version, status, TimerChange::Keep))
            .await
            .expect("commit");
        let expected: Vec<&str> = if driven { vec!["s1"] } else { vec![] };
        assert_eq!(active(store.clone()).await, expected, "{status:?}");
    }
}

pub async fn a_paused_saga_leaves_the_active_set_and_lists_as_paused(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    insert(&store, &running_saga("s2", 2_000)).await;
    let mut pause = step("s1", 1, SagaStatus::Running, TimerChange::Keep);
    pause.meta.paused = true;
    store.commit(&pause).await.expect("pause");
    assert_eq!(store.active().await.expect("active"), vec!["s2"]);
    let paused = store
        .list(&ListFilter {
            paused: Some(true),
            ..ListFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(ids(&paused), ["s1"]);
    assert!(paused[0].meta.paused);
    let unpaused = store
        .list(&ListFilter {
            paused: Some(false),
            ..ListFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(ids(&unpaused), ["s2"]);
    assert_eq!(store.paused().await.expect("paused"), 1);
    store
        .commit(&step("s1", 2, SagaStatus::Running, TimerChange::Keep))
        .await
        .expect("resume");
    let mut active = store.active().await.expect("active");
    active.sort();
    assert_eq!(active, vec!["s1", "s2"]);
    assert_eq!(store.paused().await.expect("paused"), 0);
}

pub async fn list_filters_newest_first(store: Sagas) {
    let sagas = [
        ("old", SagaStatus::Completed, 1_000),
        ("mid", SagaStatus::Running, 2_000),
        ("new", SagaStatus::Completed, 3_000),
        ("newest", SagaStatus::Waiting, 4_000),
    ];
    for (id, status, created) in sagas {
        insert(&store, &new_saga(id, status, created, TimerChange::Keep)).await;
    }
    let list = |filter: ListFilter| {
        let store = store.clone();
        async move { store.list(&filter).await.expect("list") }
    };
    let everything = list(ListFilter::default()).await;
    assert_eq!(ids(&everything), ["newest", "new", "mid", "old"]);
    assert_eq!(everything[0].state, b"state of newest");
    let completed = list(ListFilter {
        status: Some(SagaStatus::Completed),
        ..ListFilter::default()
    })
    .await;
    assert_eq!(ids(&completed), ["new", "old"]);
    let of_kind = list(ListFilter {
        kind: Some(SagaKind::PaymentAccountRegistration),
        limit: 2,
        ..ListFilter::default()
    })
    .await;
    assert_eq!(ids(&of_kind), ["newest", "new"]);
    let none = list(ListFilter {
        status: Some(SagaStatus::Failed),
        ..ListFilter::default()
    })
    .await;
    assert!(none.is_empty());
    // Listing reflects the latest status, not the one at creation.
    store
        .commit(&step("mid", 1, SagaStatus::Failed, TimerChange::Keep))
        .await
        .expect("commit");
    let failed = list(ListFilter {
        status: Some(SagaStatus::Failed),
        ..ListFilter::default()
    })
    .await;
    assert_eq!(ids(&failed), ["mid"]);
}

/// Enough sagas that a sparse filter needs several pages from every partition.
pub async fn list_pages_through_many_sagas(store: Sagas) {
    for i in 0..40 {
        let status = if i % 5 == 0 {
            SagaStatus::Failed
        } else {
            SagaStatus::Completed
        };
        insert(
            &store,
            &new_saga(
                &format!("saga-{i:02}"),
                status,
                10_000 + i,
                TimerChange::Keep,
            ),
        )
        .await;
    }
    let failed = store
        .list(&ListFilter {
            status: Some(SagaStatus::Failed),
            limit: 3,
            ..ListFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(ids(&failed), ["saga-35", "saga-30", "saga-25"]);
    let all = store.list(&ListFilter::default()).await.expect("list");
    let expected: Vec<String> = (0..40).rev().map(|i| format!("saga-{i:02}")).collect();
    assert_eq!(ids(&all), expected);
}

pub async fn concurrent_commits_one_wins(store: Sagas) {
    insert(&store, &running_saga("s1", 1_000)).await;
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut transition = step("s1", 1, SagaStatus::Running, TimerChange::Keep);
                transition.state = format!("writer {writer}").into_bytes();
                (transition.state.clone(), store.commit(&transition).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for writer in writers {
        match writer.await.expect("writer task") {
            (state, Ok(_)) => winners.push(state),
            (_, Err(StoreError::VersionConflict { .. })) => {}
            (_, Err(other)) => panic!("unexpected error {other}"),
        }
    }
    assert_eq!(winners.len(), 1);
    let stored = store.load("s1").await.expect("load").expect("stored");
    assert_eq!((stored.version, &stored.state), (2, &winners[0]));
    assert_eq!(store.journal("s1").await.expect("journal").len(), 2);
}

pub async fn list_pages_through_sagas_created_in_one_instant(store: Sagas) {
    for i in 0..60 {
        let status = if i % 10 == 0 {
            SagaStatus::Failed
        } else {
            SagaStatus::Completed
        };
        insert(
            &store,
            &new_saga(&format!("tie-{i:02}"), status, 10_000, TimerChange::Keep),
        )
        .await;
    }
    // A limit of 3 reads pages of 3, so a partition's sagas of one instant span pages.
    let failed = store
        .list(&ListFilter {
            status: Some(SagaStatus::Failed),
            limit: 3,
            ..ListFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(ids(&failed), ["tie-50", "tie-40", "tie-30"]);
    let completed = store
        .list(&ListFilter {
            status: Some(SagaStatus::Completed),
            limit: 60,
            ..ListFilter::default()
        })
        .await
        .expect("list");
    assert_eq!(completed.len(), 54);
}
