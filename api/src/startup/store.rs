//! Opening the store at start-up: the embedded file at once, Redis as soon as it answers.
//! Every Redis attempt that fails is logged with where it went (host, port, db and key
//! prefix, never the URL: it may carry a password) and retried with capped backoff.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use onboard_actors::store::{
    EmbeddedStore, RedisStore, RedisTarget, StoreError, Stores, TimedStore,
};
use onboard_config::StoreSettings;

/// The pause after the first failed attempt; it doubles after each further one.
const FIRST_RETRY: Duration = Duration::from_millis(200);
/// The longest pause between attempts, so that the store is used soon after it comes up.
const MAX_RETRY: Duration = Duration::from_secs(2);

/// Where the store is, as logs may show it.
#[derive(Debug, Clone)]
pub enum StoreTarget {
    /// The embedded store's file.
    Embedded {
        /// The redb file.
        path: PathBuf,
    },
    /// A Redis server.
    Redis(RedisTarget),
}

/// An open store and the sagas it holds, counted before the app serves.
pub struct OpenedStore {
    /// The store's parts, every operation bounded by `store.timeout_ms`.
    pub stores: Stores,
    /// Where it is.
    pub target: StoreTarget,
    /// The sagas left running or compensating, which the runtime resumes.
    pub running: Vec<String>,
    /// How many sagas wait on a person; they hold no actor until a signal or deadline.
    pub parked: u64,
}

/// Opens the store the settings select. Redis is retried until it answers; the embedded
/// store either opens or fails the start-up.
pub async fn open(settings: &StoreSettings) -> anyhow::Result<OpenedStore> {
    let timeout = Duration::from_millis(settings.timeout_ms);
    if settings.redis_url.is_empty() {
        let path = settings.data_dir.join("onboard.redb");
        let embedded = EmbeddedStore::open(&path)
            .with_context(|| format!("cannot open the embedded store {}", path.display()))?;
        let target = StoreTarget::Embedded { path };
        return counted(Stores::of(TimedStore::new(embedded, timeout)), target)
            .await
            .context("cannot read the embedded store");
    }
    let target = RedisTarget::of_url(&settings.redis_url).context("invalid Redis URL")?;
    let mut delay = FIRST_RETRY;
    let mut attempt = 0_u64;
    loop {
        attempt += 1;
        match connect(settings, timeout, &target).await {
            Ok(opened) => return Ok(opened),
            Err(error) => {
                tracing::warn!(
                    store = "redis",
                    host = %target.host,
                    port = target.port,
                    db = target.db,
                    seed_nodes = target.seed_nodes,
                    key_prefix = %settings.key_prefix,
                    attempt,
                    retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    %error,
                    "store not reachable; retrying"
                );
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(MAX_RETRY);
            }
        }
    }
}

/// One attempt: connect within the store's time limit, then count the sagas.
async fn connect(
    settings: &StoreSettings,
    timeout: Duration,
    target: &RedisTarget,
) -> Result<OpenedStore, StoreError> {
    let connecting = RedisStore::connect(&settings.redis_url, &settings.key_prefix, timeout);
    let redis = tokio::time::timeout(timeout, connecting)
        .await
        .map_err(|_elapsed| StoreError::TimedOut {
            operation: "connect",
            limit_ms: settings.timeout_ms,
        })??;
    let stores = Stores::of(TimedStore::new(redis, timeout));
    counted(stores, StoreTarget::Redis(target.clone())).await
}

async fn counted(stores: Stores, target: StoreTarget) -> Result<OpenedStore, StoreError> {
    let running = stores.sagas.active().await?;
    let parked = stores.sagas.armed_timers().await?;
    Ok(OpenedStore {
        stores,
        target,
        running,
        parked,
    })
}
