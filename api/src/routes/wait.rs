//! Reading the caller's own workflow, optionally held with `?wait=<seconds>`.

use std::time::Duration;

use onboard_actors::{Engine, SagaView};
use onboard_workflows::domain::WorkflowId;
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
    /// Hold the answer until the workflow waits or is final, at most this many seconds;
    /// kept as text so that a value that is no number is named in the 400.
    pub wait: Option<String>,
}

impl WaitQuery {
    /// How long to hold the answer. `wait` must be a number of seconds from 0 to 30: a
    /// longer, negative or non-finite one is refused rather than quietly cut.
    pub fn duration(&self) -> Result<Option<Duration>, ApiError> {
        let Some(raw) = self.wait.as_deref() else {
            return Ok(None);
        };
        let secs = raw
            .parse::<f64>()
            .ok()
            .filter(|secs| (0.0..=MAX_WAIT_SECS).contains(secs))
            .ok_or_else(|| {
                ApiError::field("wait", "wait: must be a number of seconds from 0 to 30")
            })?;
        Ok((secs > 0.0).then(|| Duration::from_secs_f64(secs)))
    }
}

/// The caller's workflow of `kind`, or 404 (also for another caller's).
pub async fn owned_view(
    engine: &Engine,
    caller: &Caller,
    id: &WorkflowId,
    query: &WaitQuery,
    kind: SagaKind,
) -> Result<SagaView, ApiError> {
    let view = match query.duration()? {
        Some(duration) => engine.wait(id, duration).await?,
        None => engine.get(id).await?,
    };
    view.filter(|v| v.kind == kind && *v.owner == *caller.id)
        .ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duration(raw: &str) -> Result<Option<Duration>, ApiError> {
        WaitQuery {
            wait: Some(raw.to_owned()),
        }
        .duration()
    }

    #[test]
    fn accepts_0_to_30_seconds() {
        assert_eq!(WaitQuery { wait: None }.duration().unwrap(), None);
        assert_eq!(duration("0").unwrap(), None);
        assert_eq!(duration("0.5").unwrap(), Some(Duration::from_millis(500)));
        assert_eq!(duration("30").unwrap(), Some(Duration::from_secs(30)));
    }

    #[test]
    fn refuses_anything_else_naming_wait() {
        for raw in [
            "-1", "31", "30.001", "NaN", "inf", "-inf", "1e309", "abc", "",
        ] {
            match duration(raw) {
                Err(ApiError::Validation { field, .. }) => {
                    assert_eq!(field.as_deref(), Some("wait"), "{raw:?}")
                }
                other => panic!("{raw:?}: {other:?}"),
            }
        }
    }
}
