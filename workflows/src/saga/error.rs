//! Typed refusals of the saga layer.

use super::{SagaStatus, Signal};

/// An event that a saga cannot accept in its current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The event does not fit the saga's current step (a late or duplicated delivery).
    #[error("event {event} does not apply while the saga is {status:?}")]
    Illegal {
        /// The event's name.
        event: &'static str,
        /// The saga's status when it arrived.
        status: SagaStatus,
    },
    /// A signal named a security prompt that is not the open one.
    #[error("security prompt is closed")]
    PromptClosed,
}

impl TransitionError {
    /// The refusal of `signal` by a saga at `status` that cannot take it: a security
    /// decision always finds its prompt closed (API.md's 409 `prompt_closed`); any other
    /// signal is illegal.
    pub fn unfit(signal: &Signal, status: SagaStatus) -> Self {
        match signal {
            Signal::SecurityDecision { .. } => TransitionError::PromptClosed,
            other => TransitionError::Illegal {
                event: other.name(),
                status,
            },
        }
    }
}
