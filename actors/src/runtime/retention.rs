//! The retention sweeper: every sweep interval it deletes the sagas that finished longer ago than
//! the retention period, with every record of them, the account links whose token lapsed unused
//! longer ago than that, the real accounts of virtual accounts revoked longer ago than that, and
//! the records whose expiry passed (which only the embedded store needs). Work goes in bounded
//! batches, each its own store call, so that a backlog never holds the store or the runtime for
//! long; several replicas may sweep at once, as every purge is idempotent. Until it has walked
//! every saga once, each sweep also enters a batch of sagas that finished under an older version
//! (which kept no index of finished sagas) in that index.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;

use super::Engine;
use crate::store::{Backfill, Purged, RetentionStore, StoreError};

/// Most records of one kind one purge call deletes.
const BATCH: usize = 500;
/// Most purge calls of one kind per sweep: a larger backlog waits for the next sweep.
const MAX_BATCHES_PER_SWEEP: usize = 20;
/// The counter of deleted records, by record kind.
const PURGED_TOTAL: &str = "onboard_retention_purged_total";

/// How long finished sagas are kept, and how often the sweeper looks.
#[derive(Debug, Clone, Copy)]
pub struct RetentionPolicy {
    /// A completed or compensated saga is deleted this long after it finished.
    pub keep_finished: Duration,
    /// The pause between two sweeps.
    pub sweep_interval: Duration,
}

/// Sweeps every `policy.sweep_interval` for as long as the process runs.
pub(crate) async fn sweep_forever(
    engine: Engine,
    store: Arc<dyn RetentionStore>,
    policy: RetentionPolicy,
) {
    let mut ticker = tokio::time::interval(policy.sweep_interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut backfill = Some(BackfillWalk::default());
    loop {
        ticker.tick().await;
        if let Some(walk) = backfill.as_mut() {
            if walk.step(store.as_ref()).await {
                backfill = None;
            }
        }
        let purged = sweep(&engine, store.as_ref(), policy.keep_finished).await;
        let metrics = &engine.context().metrics;
        for (record, count) in purged.by_record() {
            metrics.add(PURGED_TOTAL, &[("record", record)], count);
        }
        if !purged.is_empty() {
            tracing::info!(
                sagas = purged.sagas,
                idempotency = purged.idempotency,
                counters = purged.counters,
                ticket_families = purged.ticket_families,
                pairing_codes = purged.pairing_codes,
                links = purged.links,
                link_tokens = purged.link_tokens,
                revoked_accounts = purged.revoked_accounts,
                "retention purged"
            );
        }
    }
}

/// The walk that enters sagas finished under an older version in the finished index.
#[derive(Debug, Default)]
struct BackfillWalk {
    cursor: Option<String>,
    indexed: u64,
}

impl BackfillWalk {
    /// Takes one batch; answers whether the walk is done (a failed batch is tried again by
    /// the next sweep).
    async fn step(&mut self, store: &dyn RetentionStore) -> bool {
        match store.backfill_finished(self.cursor.as_deref(), BATCH).await {
            Ok(Backfill { indexed, next }) => {
                self.indexed += indexed;
                self.cursor = next;
                if self.cursor.is_none() && self.indexed > 0 {
                    tracing::info!(
                        sagas = self.indexed,
                        "retention: sagas finished before the upgrade now follow retention"
                    );
                }
                self.cursor.is_none()
            }
            Err(error) => {
                tracing::warn!(%error, "retention: finished sagas not indexed");
                false
            }
        }
    }
}

/// One sweep: finished sagas, lapsed links and revoked accounts past `keep_finished`, then
/// expired records, each in batches until a batch comes back short or the sweep's share is
/// done. A failed purge is logged and left to the next sweep.
async fn sweep(engine: &Engine, store: &dyn RetentionStore, keep_finished: Duration) -> Purged {
    let keep = TimeDelta::from_std(keep_finished).unwrap_or(TimeDelta::MAX);
    let now = engine.context().clock.now();
    let finished_by_ms = now
        .checked_sub_signed(keep)
        .map_or(i64::MIN, |cutoff| cutoff.timestamp_millis());
    let mut total = in_batches(
        "finished sagas",
        |purged: &Purged| purged.sagas,
        || store.purge_finished(finished_by_ms, BATCH),
    )
    .await;
    total.links += in_batches(
        "lapsed links",
        |links| *links,
        || store.purge_lapsed_links(finished_by_ms, BATCH),
    )
    .await;
    total.revoked_accounts += in_batches(
        "revoked accounts",
        |accounts| *accounts,
        || store.forget_revoked_accounts(finished_by_ms, BATCH),
    )
    .await;
    total += in_batches("expired records", Purged::most, || {
        store.purge_expired(BATCH)
    })
    .await;
    total
}

/// Calls `purge` until the batch it reports (`batch_of` its counts) comes back short, a
/// call fails (logged, as `what`), or [`MAX_BATCHES_PER_SWEEP`] calls were made; the counts
/// summed.
async fn in_batches<'a, T, F>(what: &str, batch_of: impl Fn(&T) -> u64, purge: impl Fn() -> F) -> T
where
    T: Copy + Default + std::ops::AddAssign,
    F: std::future::Future<Output = Result<T, StoreError>> + 'a,
{
    let mut total = T::default();
    for _ in 0..MAX_BATCHES_PER_SWEEP {
        match purge().await {
            Ok(purged) => {
                total += purged;
                if batch_of(&purged) < BATCH as u64 {
                    break;
                }
            }
            Err(error) => {
                tracing::warn!(%error, "retention: {what} not purged");
                break;
            }
        }
    }
    total
}
