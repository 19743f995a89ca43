//! Reading the caller's own workflow, optionally held with `?wait=<seconds>`.

use std::time::Duration;

use onboard_actors::{Engine, SagaView};
use onboard_workflows::SagaKind;
use serde::Deserialize;

use crate::auth::Caller;
use crate::problem::ApiError;

/// The longest a `GET` may be held.
const MAX_WAIT_SECS: f64 = 30.0;

/// Query of a workflow `GET`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitQuery {
    /// Hold the answer until the workflow waits or is final, at most this many seconds.
    pub wait: Option<f64>,
}

impl WaitQuery {
    /// How long to hold the answer; values above 30 s are cut to 30 s.
    pub fn duration(&self) -> Option<Duration> {
        self.wait
            .filter(|secs| secs.is_finite() && *secs > 0.0)
            .map(|secs| Duration::from_secs_f64(secs.min(MAX_WAIT_SECS)))
    }
}

/// The caller's workflow of `kind`, or 404 (also for another caller's).
pub async fn owned_view(
    engine: &Engine,
    caller: &Caller,
    id: &str,
    query: &WaitQuery,
    kind: SagaKind,
) -> Result<SagaView, ApiError> {
    let view = match query.duration() {
        Some(duration) => engine.wait(id, duration).await?,
        None => engine.get(id).await?,
    };
    view.filter(|v| v.kind == kind && *v.owner == *caller.id)
        .ok_or(ApiError::NotFound)
}
