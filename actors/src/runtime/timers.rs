//! The durable timer poller: deadlines live in the store (so they survive restarts), and
//! this loop claims each one that has passed and delivers it to its saga, so that across
//! replicas a deadline is delivered once.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use onboard_workflows::domain::WorkflowId;

use super::cell::Event;
use super::stored_id::stored_workflow_id;
use super::Engine;

/// Most timers taken per poll.
const BATCH: usize = 512;
/// How long a claimed timer is held for its delivery before it fires again (should this
/// replica die before delivering it).
const CLAIM_HOLD_MS: i64 = 5_000;

/// Polls for due timers every `interval` for as long as the process runs. A timer whose
/// delivery is still in flight is not delivered again.
pub(crate) async fn poll_forever(engine: Engine, interval: Duration) {
    let in_flight: Arc<Mutex<HashSet<WorkflowId>>> = Arc::default();
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now_ms = engine.context().clock.now().timestamp_millis();
        let hold_until_ms = now_ms.saturating_add(CLAIM_HOLD_MS);
        let claimed = engine
            .context()
            .store
            .claim_due_timers(now_ms, BATCH, hold_until_ms);
        let due = match claimed.await {
            Ok(due) => due,
            Err(error) => {
                tracing::warn!(%error, "timer poll failed");
                continue;
            }
        };
        for saga_id in due
            .iter()
            .filter_map(|timer| stored_workflow_id(&timer.saga_id))
        {
            let fresh = in_flight
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(saga_id.clone());
            if !fresh {
                continue;
            }
            let (engine, in_flight) = (engine.clone(), in_flight.clone());
            actix::spawn(async move {
                if let Err(error) = engine.deliver(&saga_id, Event::Deadline).await {
                    tracing::warn!(%saga_id, %error, "deadline not delivered");
                }
                in_flight
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&saga_id);
            });
        }
    }
}
