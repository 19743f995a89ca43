//! Fault injection: tests ask a party to fail its next calls of an operation,
//! to prove that the orchestrator retries, compensates and never doubles an
//! effect. Faults live in memory only; a restart clears them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::operation::{Operation, Party};
use crate::replies::Done;
use crate::sandbox::Sandbox;
use crate::validate;

/// How long a `timeout` fault holds the answer when the test names no delay:
/// longer than any connector timeout.
const DEFAULT_TIMEOUT_DELAY: Duration = Duration::from_millis(5000);

/// The longest delay a test may ask for, so a typo cannot hang a worker for hours.
pub(crate) const MAX_DELAY_MS: u64 = 600_000;

/// How a call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 503, nothing applied.
    Error,
    /// 422 `declined`, nothing applied.
    Decline,
    /// 401, nothing applied: what a misrouted gateway or a rotated key looks like.
    Unauthorized,
    /// Applied normally, but the answer comes only after this delay.
    Timeout(Duration),
    /// Applied, but answered 409 `request_in_progress`, as a party answers while the
    /// same key is still being processed.
    InProgress,
    /// Applied, but answered 200 with a body that is not the operation's JSON.
    Garbled,
}

/// What a call that is let through must do to its answer after it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnswerFault {
    /// Hold the answer this long.
    Delay(Duration),
    /// Replace a successful answer with 409 `request_in_progress`.
    InProgress,
    /// Replace a successful answer with a 200 whose body is not JSON.
    Garbled,
}

/// Pending faults per operation, consumed first in, first out.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queues: Mutex<HashMap<Operation, VecDeque<Queued>>>,
}

#[derive(Debug)]
struct Queued {
    fault: Fault,
    remaining: u32,
}

impl Faults {
    /// Queues `times` occurrences of `fault` behind those already queued.
    pub(crate) fn push(&self, operation: Operation, fault: Fault, times: u32) {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        queues.entry(operation).or_default().push_back(Queued {
            fault,
            remaining: times,
        });
    }

    /// Consumes the next pending fault of `operation`, if any.
    pub(crate) fn take(&self, operation: Operation) -> Option<Fault> {
        let mut queues = self.queues.lock().unwrap_or_else(PoisonError::into_inner);
        let queue = queues.get_mut(&operation)?;
        let front = queue.front_mut()?;
        let fault = front.fault;
        front.remaining -= 1;
        if front.remaining == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// Drops every queued fault.
    pub(crate) fn clear(&self) {
        self.queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// What a handler does first: fail now without applying anything, or learn what to do
    /// to the answer once the call is applied.
    pub(crate) fn check(&self, operation: Operation) -> Result<Option<AnswerFault>, ApiError> {
        match self.take(operation) {
            None => Ok(None),
            Some(fault) => {
                tracing::info!(
                    operation = operation.name(),
                    ?fault,
                    "sandbox fault injected"
                );
                match fault {
                    Fault::Error => Err(ApiError::Injected),
                    Fault::Decline => Err(ApiError::Declined),
                    Fault::Unauthorized => Err(ApiError::Unauthorized),
                    Fault::Timeout(delay) => Ok(Some(AnswerFault::Delay(delay))),
                    Fault::InProgress => Ok(Some(AnswerFault::InProgress)),
                    Fault::Garbled => Ok(Some(AnswerFault::Garbled)),
                }
            }
        }
    }
}

/// How the faulted calls fail: `error` answers 503, `decline` 422 `declined` and
/// `unauthorized` 401, applying nothing; `timeout` applies the call but holds the answer
/// `delay_ms`; `in_progress` applies it but answers 409 `request_in_progress`; `garbled`
/// applies it but answers 200 with a body that is not the operation's JSON.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FaultMode)]
pub(crate) enum Mode {
    Error,
    Timeout,
    Decline,
    InProgress,
    Garbled,
    Unauthorized,
}

/// Body of `POST /sandbox/faults`; its schema is in `openapi::fault_request`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultRequest {
    party: Party,
    operation: Operation,
    mode: Mode,
    #[serde(deserialize_with = "validate::whole_number")]
    times: u32,
    #[serde(default, deserialize_with = "validate::optional_whole_number")]
    delay_ms: Option<u64>,
}

impl FaultRequest {
    fn fault(&self) -> Result<Fault, ApiError> {
        if self.operation.party() != self.party {
            return Err(ApiError::Validation(format!(
                "`{}` is not an operation of the {}",
                self.operation.name(),
                self.party.name()
            )));
        }
        if self.times == 0 {
            return Err(ApiError::Validation("`times` must be at least 1".into()));
        }
        let delay = match self.delay_ms {
            Some(ms) if ms > MAX_DELAY_MS => {
                return Err(ApiError::Validation(format!(
                    "`delay_ms` must be at most {MAX_DELAY_MS}"
                )))
            }
            Some(ms) => Duration::from_millis(ms),
            None => DEFAULT_TIMEOUT_DELAY,
        };
        Ok(match self.mode {
            Mode::Error => Fault::Error,
            Mode::Decline => Fault::Decline,
            Mode::Timeout => Fault::Timeout(delay),
            Mode::InProgress => Fault::InProgress,
            Mode::Garbled => Fault::Garbled,
            Mode::Unauthorized => Fault::Unauthorized,
        })
    }
}

/// `POST /sandbox/faults`: the next `times` calls of the operation fail so.
pub(crate) async fn inject(
    sandbox: web::Data<Sandbox>,
    body: web::Json<FaultRequest>,
) -> Result<HttpResponse, ApiError> {
    let fault = body.fault()?;
    sandbox.faults().push(body.operation, fault, body.times);
    Ok(HttpResponse::Created().json(Done {}))
}

/// `DELETE /sandbox/faults`: clears every queued fault, so a test can stop a failure it
/// started without knowing how many calls consumed it.
pub(crate) async fn clear(sandbox: web::Data<Sandbox>) -> HttpResponse {
    sandbox.faults().clear();
    tracing::info!("sandbox faults cleared");
    HttpResponse::NoContent().finish()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn faults_stack_and_are_consumed_in_order() {
        let faults = Faults::default();
        faults.push(Operation::BindCard, Fault::Error, 2);
        faults.push(Operation::BindCard, Fault::Decline, 1);
        assert_eq!(faults.take(Operation::UnbindCard), None);
        assert_eq!(faults.take(Operation::BindCard), Some(Fault::Error));
        assert_eq!(faults.take(Operation::BindCard), Some(Fault::Error));
        assert_eq!(faults.take(Operation::BindCard), Some(Fault::Decline));
        assert_eq!(faults.take(Operation::BindCard), None);
    }

    #[test]
    fn clearing_drops_every_queued_fault() {
        let faults = Faults::default();
        faults.push(Operation::BindCard, Fault::Garbled, 3);
        faults.push(Operation::RegisterAccount, Fault::Unauthorized, 1);
        faults.clear();
        assert_eq!(faults.take(Operation::BindCard), None);
        assert_eq!(faults.take(Operation::RegisterAccount), None);
    }

    #[test]
    fn operation_must_belong_to_the_party() {
        let request: FaultRequest = serde_json::from_value(json!({
            "party": "bank", "operation": "bind_card", "mode": "error", "times": 1
        }))
        .unwrap();
        assert!(request.fault().is_err());
    }
}
