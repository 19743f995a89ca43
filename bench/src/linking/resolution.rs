//! The resolution of a virtual id, timed in process: the linking service the orchestrator
//! runs (`Links::resolve`: one store round trip, then the real account unsealed), built here
//! over the run's Redis and key prefix with the keys of the configuration the orchestrator
//! loads, and called one at a time while nothing else runs. No HTTP, no saga: the cost the
//! issue bounds.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use onboard_actors::store::{RedisStore, Stores, TimedStore};
use onboard_services::{LinkParams, Links};
use onboard_workflows::domain::VirtualAccountId;

use super::Linked;
use crate::load::Stop;
use crate::pairing::drive;
use crate::run_result::RunResult;

/// The merchant whose virtual ids the bench mints (`merchant_test_key`).
const MERCHANT_ID: &str = "sandbox-merchant";

/// Where the orchestrator under test keeps its store.
pub struct StoreAt<'a> {
    /// Redis URL.
    pub redis_url: &'a str,
    /// The run's key prefix.
    pub key_prefix: &'a str,
}

/// `samples` resolutions, one at a time, spread over `linked`; each must answer the
/// account the virtual id was minted for.
pub async fn measure(
    store: &StoreAt<'_>,
    linked: &[Linked],
    samples: usize,
) -> anyhow::Result<RunResult> {
    anyhow::ensure!(!linked.is_empty(), "no virtual id to resolve");
    let links = Arc::new(service(store).await?);
    let targets = linked
        .iter()
        .map(|l| Ok((VirtualAccountId::parse(&l.virtual_id)?, l.account.clone())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let targets = Arc::new(targets);
    let n = targets.len();
    let timed = drive(1, Stop::Count(samples), move |i| {
        let (links, targets) = (links.clone(), targets.clone());
        async move {
            let (virtual_id, account) = &targets[(i * 7_919) % n];
            let real = links.resolve(MERCHANT_ID, virtual_id).await?;
            anyhow::ensure!(
                real.as_str() == account,
                "a virtual id resolved to another account"
            );
            Ok(())
        }
    })
    .await;
    anyhow::ensure!(timed.errors == 0, "resolution: {:?}", timed.first_error);
    Ok(timed)
}

/// The linking service as `onboard serve` builds it: the settings it loads (defaults, then
/// the `ONBOARD_…` variables it inherits from this process), its store timeout, its data
/// keys and HMAC key.
async fn service(store: &StoreAt<'_>) -> anyhow::Result<Links> {
    let settings = onboard_config::Settings::load(None).context("loading the settings")?;
    let sealer = onboard_api::secrets::sealer(&settings.security)?;
    let hmac_key = onboard_api::secrets::hmac_key(&settings.security)?;
    let timeout = Duration::from_millis(settings.store.timeout_ms);
    let redis = RedisStore::connect(store.redis_url, store.key_prefix, timeout)
        .await
        .context("connecting to the run's Redis")?;
    let stores = Stores::of(TimedStore::new(redis, timeout));
    Ok(Links::new(
        stores.links,
        sealer,
        hmac_key,
        LinkParams {
            token_ttl_secs: settings.links.token_ttl_secs,
        },
    ))
}
