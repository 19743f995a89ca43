//! The idempotency store's contract: claims, completions, releases and their lapse.

use std::sync::Arc;
use std::time::Duration;

use onboard_actors::store::{Completion, IdempotencyClaim, IdempotencyStore};

/// A fresh, empty idempotency store of either backend.
type Records = Arc<dyn IdempotencyStore>;

/// The completion of `key` with the response `response`, kept `ttl_ms`.
fn completion<'a>(key: &'a str, fingerprint: &'a [u8], ttl_ms: u64) -> Completion<'a> {
    Completion {
        key,
        fingerprint,
        response: b"response",
        ttl_ms,
        saga_id: None,
    }
}

pub async fn claim_complete_release(store: Records) {
    let ttl = 60_000;
    let claim = |key: &'static str, fingerprint: &'static [u8]| {
        let store = store.clone();
        async move { store.claim(key, fingerprint, ttl).await.expect("claim") }
    };
    assert_eq!(claim("k", b"fp1").await, IdempotencyClaim::Claimed);
    assert_eq!(
        claim("k", b"fp2").await,
        IdempotencyClaim::InFlight {
            fingerprint: b"fp1".to_vec()
        }
    );
    store
        .complete(&completion("k", b"fp1", ttl))
        .await
        .expect("complete");
    let replay = IdempotencyClaim::Completed {
        fingerprint: b"fp1".to_vec(),
        response: b"response".to_vec(),
    };
    assert_eq!(claim("k", b"fp1").await, replay);
    assert_eq!(claim("k", b"fp2").await, replay);
    store.release("k").await.expect("release");
    assert_eq!(claim("k", b"fp3").await, IdempotencyClaim::Claimed);
    store.release("k").await.expect("release");
    store.release("k").await.expect("release twice");
    assert_eq!(claim("other", b"fp").await, IdempotencyClaim::Claimed);
}

pub async fn claims_lapse(store: Records) {
    assert_eq!(
        store.claim("k", b"fp1", 50).await.expect("claim"),
        IdempotencyClaim::Claimed
    );
    store
        .complete(&completion("done", b"fp", 50))
        .await
        .expect("complete");
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        store.claim("k", b"fp2", 60_000).await.expect("claim"),
        IdempotencyClaim::Claimed
    );
    assert_eq!(
        store.claim("done", b"fp", 60_000).await.expect("claim"),
        IdempotencyClaim::Claimed
    );
}
