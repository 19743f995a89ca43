//! The leases this replica holds: renewed while their sagas are driven here, released on
//! drain, and the sweep that takes over sagas whose lease lapsed (a replica died, a kick
//! was lost, an actor panicked).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use onboard_workflows::domain::WorkflowId;

use super::stored_id::stored_workflow_id;
use super::Engine;

/// This replica's name and the leases it holds (saga → fencing token).
pub(crate) struct HeldLeases {
    replica: Arc<str>,
    held: Mutex<HashMap<WorkflowId, u64>>,
}

impl HeldLeases {
    /// No leases yet, for the replica named `replica`.
    pub fn new(replica: &str) -> HeldLeases {
        HeldLeases {
            replica: Arc::from(replica),
            held: Mutex::default(),
        }
    }

    /// The replica's name, as leases record their owner.
    pub fn replica(&self) -> Arc<str> {
        self.replica.clone()
    }

    /// Records that the replica holds saga `id`'s lease under `token`, or none.
    pub fn set(&self, id: &WorkflowId, token: Option<u64>) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        match token {
            Some(token) => held.insert(id.to_owned(), token),
            None => held.remove(id),
        };
    }

    /// Every lease held now, as (saga id, token).
    fn snapshot(&self) -> Vec<(String, u64)> {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.iter()
            .map(|(id, token)| (id.to_string(), *token))
            .collect()
    }

    /// Forgets the leases of `ids`, which the store says are no longer held.
    fn forget(&self, ids: &[String]) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.retain(|id, _| !ids.iter().any(|lost| lost == id.as_str()));
    }

    /// Takes every lease out of the registry, to release them.
    pub fn take_all(&self) -> Vec<(String, u64)> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.drain()
            .map(|(id, token)| (id.to_string(), token))
            .collect()
    }
}

/// Renews the held leases every `interval` (a third of their time to live) for as long as
/// the process runs.
pub(crate) async fn renew_forever(engine: Engine, interval: Duration) {
    let ctx = engine.context();
    let ttl_ms = u64::try_from(ctx.lease_ttl.as_millis()).unwrap_or(u64::MAX);
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let held = ctx.held.snapshot();
        if held.is_empty() {
            continue;
        }
        match ctx.leases.renew(&held, &ctx.held.replica(), ttl_ms).await {
            Ok(lost) if lost.is_empty() => {}
            Ok(lost) => {
                tracing::warn!(lost = lost.len(), "leases lost to other replicas");
                ctx.metrics.inc("onboard_leases_lost_total", &[]);
                ctx.held.forget(&lost);
            }
            Err(error) => tracing::warn!(%error, "lease renewal failed"),
        }
    }
}

/// Every `interval`, hands the sagas that need driving but hold no live lease to the
/// supervisor, which starts driving those not live here; the first replica to take a
/// saga's lease drives it.
pub(crate) async fn sweep_forever(engine: Engine, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if engine.draining() {
            continue;
        }
        match engine.context().leases.orphans().await {
            Ok(ids) if ids.is_empty() => {}
            Ok(ids) => {
                let ids: Vec<WorkflowId> =
                    ids.iter().filter_map(|id| stored_workflow_id(id)).collect();
                engine.sweep(ids);
            }
            Err(error) => tracing::warn!(%error, "lease sweep failed"),
        }
    }
}
