//! The two store backends, opened fresh for one test: an embedded store in a temporary
//! directory, or Redis under a key prefix of the test's own (deleted afterwards).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use onboard_actors::store::{EmbeddedStore, RedisStore, Stores};

/// Generous: the cases are about what the services do, not how fast the store is.
const TIMEOUT: Duration = Duration::from_secs(10);

fn redis_url() -> String {
    std::env::var("ONBOARD_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Runs `case` on a fresh embedded store.
pub async fn with_embedded<F, Fut>(case: F)
where
    F: FnOnce(Stores) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("store.redb")).expect("open");
    case(Stores::of(store)).await;
}

/// Runs `case` on Redis under a fresh key prefix, deleting its keys even when it fails.
pub async fn with_redis<F, Fut>(case: F)
where
    F: FnOnce(Stores) -> Fut,
    Fut: Future<Output = ()>,
{
    let prefix = format!("test:services:{}", uuid::Uuid::new_v4());
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let outcome = AssertUnwindSafe(case(Stores::of(store)))
        .catch_unwind()
        .await;
    delete_keys(&prefix).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn delete_keys(prefix: &str) {
    let mut con = redis::Client::open(redis_url())
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .expect("connect to the test Redis");
    let mut cursor = 0_u64;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut con)
            .await
            .expect("scan");
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(keys)
                .query_async::<()>(&mut con)
                .await
                .expect("delete test keys");
        }
        if next == 0 {
            return;
        }
        cursor = next;
    }
}
