//! The workflow resource of API.md, as the runtime reports a saga.

use chrono::{DateTime, TimeZone, Utc};
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::{AnySaga, SagaError, SagaKind, SagaStatus, StepRecord, WaitingFor};
use serde::Serialize;

use crate::store::{CallError, Retrying, SagaMeta};

/// A saga as callers see it: no personal data beyond what its result reveals by design.
#[derive(Debug, Clone, Serialize)]
pub struct SagaView {
    /// Workflow id.
    pub id: WorkflowId,
    /// Saga definition.
    pub kind: SagaKind,
    /// Where it stands.
    pub status: SagaStatus,
    /// The open human step, if any.
    pub waiting_for: Option<WaitingFor>,
    /// Step history.
    pub steps: Vec<StepRecord>,
    /// Kind-specific result.
    pub result: Option<serde_json::Value>,
    /// Why it did not complete.
    pub error: Option<SagaError>,
    /// Whether it waits for an operator before its next party call.
    pub paused: bool,
    /// The party call now being retried, if any.
    pub retrying: Option<RetryingView>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last transition.
    pub updated_at: DateTime<Utc>,
    /// The caller that owns it; callers other than the owner must get 404.
    #[serde(skip)]
    pub owner: String,
}

impl SagaView {
    /// The view of a saga from its metadata and opened state.
    pub fn new(id: &WorkflowId, meta: &SagaMeta, saga: &AnySaga) -> SagaView {
        SagaView {
            id: id.to_owned(),
            kind: saga.kind(),
            status: saga.status(),
            waiting_for: saga.waiting_for(),
            steps: saga.steps().to_vec(),
            result: saga.result_json(),
            error: saga.error().cloned(),
            paused: meta.paused,
            retrying: meta.retrying.as_ref().map(RetryingView::from),
            created_at: from_ms(meta.created_at_ms),
            updated_at: from_ms(meta.updated_at_ms),
            owner: meta.owner.clone(),
        }
    }

    /// Whether a `?wait=` request may answer now.
    pub fn is_settled(&self) -> bool {
        self.status == SagaStatus::Waiting || self.status.is_final()
    }
}

/// API.md's `retrying` object: the call being retried, how often, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RetryingView {
    /// The step whose call is retried.
    pub step: String,
    /// Attempts so far.
    pub attempts: u32,
    /// What the last attempt got.
    pub last_error: CallError,
    /// When the next attempt is due; `null` while the saga is paused.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<&Retrying> for RetryingView {
    fn from(retrying: &Retrying) -> Self {
        RetryingView {
            step: retrying.step.clone(),
            attempts: retrying.attempts,
            last_error: retrying.last_error.clone(),
            next_attempt_at: retrying.next_attempt_at_ms.map(from_ms),
        }
    }
}

fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}
