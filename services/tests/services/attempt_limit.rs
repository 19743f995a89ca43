//! Attempt limits: refused once the failures are used up, per key, counted durably.

use std::sync::Arc;

use onboard_actors::store::AttemptStore;
use onboard_services::{AttemptLimit, AttemptLimitError, CardRefusals};
use onboard_workflows::domain::WorkflowId;

/// The attempt counters of either backend.
type Store = Arc<dyn AttemptStore>;

on_both_stores!(
    attempts:
    refuses_once_the_failures_are_used_up,
    keys_are_limited_apart,
    card_refusals_allow_five_per_application,
);

async fn refuses_once_the_failures_are_used_up(store: Store) {
    let limit = AttemptLimit::new(store, 2, 1_500);
    limit.ensure_open("k").await.expect("no failures yet");
    assert_eq!(limit.count_failure("k").await.unwrap(), 1);
    limit.ensure_open("k").await.expect("one failure of two");
    assert_eq!(limit.count_failure("k").await.unwrap(), 2);
    match limit.ensure_open("k").await {
        Err(AttemptLimitError::Limited { retry_after_secs }) => assert_eq!(retry_after_secs, 2),
        other => panic!("expected Limited, got {other:?}"),
    }
}

async fn keys_are_limited_apart(store: Store) {
    let limit = AttemptLimit::new(store, 1, 60_000);
    limit.count_failure("a").await.unwrap();
    assert!(matches!(
        limit.ensure_open("a").await,
        Err(AttemptLimitError::Limited { .. })
    ));
    limit.ensure_open("b").await.expect("another key is open");
}

async fn card_refusals_allow_five_per_application(store: Store) {
    let refusals = CardRefusals::new(store.clone());
    let (first, second) = (
        WorkflowId::parse("ca_00000000000000000000000000000001").unwrap(),
        WorkflowId::parse("ca_00000000000000000000000000000002").unwrap(),
    );
    for n in 1..=5 {
        refusals.ensure_open(&first).await.expect("under the limit");
        assert_eq!(refusals.count_refusal(&first).await.unwrap(), n);
    }
    match refusals.ensure_open(&first).await {
        Err(AttemptLimitError::Limited { retry_after_secs }) => {
            assert_eq!(retry_after_secs, 3600)
        }
        other => panic!("expected Limited, got {other:?}"),
    }
    refusals
        .ensure_open(&second)
        .await
        .expect("another application");
    // Counts kept before the services layer existed stay in force: same store key.
    assert_eq!(
        store
            .attempts("savings_card_refusals:ca_00000000000000000000000000000001")
            .await
            .unwrap(),
        5
    );
}
