//! Where a saga stands, the same for every definition.

use crate::saga::SagaStatus;
use serde::{Deserialize, Serialize};

/// Where a saga stands; each variant carries what that position needs. `S` is the
/// definition's forward step and `W` what it waits for; the undos live on the undo stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase<S, W> {
    /// `step` is the next action; once this state is committed its call may be in flight.
    Running {
        /// The step.
        step: S,
    },
    /// Cancelled while `step`'s call may have been in flight: its outcome comes first (the
    /// late answer, or the answer to its replay under the same idempotency key), then
    /// compensation.
    Resolving {
        /// The step.
        step: S,
    },
    /// Waiting for a person or the deadline.
    Waiting {
        /// What for.
        wait: W,
    },
    /// Undoing the top of the undo stack (first resolving it if it is in doubt).
    Compensating,
    /// Every forward step is done.
    Completed,
    /// Every effect undone.
    Compensated,
    /// An undo was refused, or an in-doubt step's answer did not say what to undo; the top
    /// of the undo stack is where an operator's retry resumes.
    Failed,
}

impl<S, W> Phase<S, W> {
    /// The status API.md reports for this phase.
    pub fn status(&self) -> SagaStatus {
        match self {
            Phase::Running { .. } => SagaStatus::Running,
            Phase::Waiting { .. } => SagaStatus::Waiting,
            Phase::Resolving { .. } | Phase::Compensating => SagaStatus::Compensating,
            Phase::Completed => SagaStatus::Completed,
            Phase::Compensated => SagaStatus::Compensated,
            Phase::Failed => SagaStatus::Failed,
        }
    }
}
