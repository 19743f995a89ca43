//! The `?wait=<seconds>` parameter of workflow `GET`s.

use std::time::Duration;

use serde::Deserialize;

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
