//! The attempt store's contract: counts within a window, and windows that lapse.

use std::sync::Arc;
use std::time::Duration;

use onboard_actors::store::AttemptStore;

/// A fresh, empty attempt store of either backend.
type Counters = Arc<dyn AttemptStore>;

pub async fn attempts_count_within_their_window(store: Counters) {
    assert_eq!(store.attempts("acct").await.expect("attempts"), 0);
    for expected in 1..=3 {
        let count = store.count_attempt("acct", 60_000).await.expect("count");
        assert_eq!(count, expected);
    }
    assert_eq!(store.attempts("acct").await.expect("attempts"), 3);
    assert_eq!(store.attempts("other").await.expect("attempts"), 0);
}

pub async fn attempt_windows_lapse(store: Counters) {
    store.count_attempt("acct", 50).await.expect("count");
    store.count_attempt("acct", 50).await.expect("count");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(store.attempts("acct").await.expect("attempts"), 0);
    assert_eq!(store.count_attempt("acct", 50).await.expect("count"), 1);
}
