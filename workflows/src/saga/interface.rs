//! The one interface every saga offers the runtime, whatever its steps.

use super::{Action, CallOutcome, SagaError, SagaStatus, Signal, StepRecord, Tick};
use super::{TransitionError, WaitingFor};
use crate::domain::{PaymentAccountId, PromptId};

/// A saga as the runtime drives it: a pure state machine that says what to do next and
/// takes back what happened. [`crate::AnySaga`] delegates to it, so the runtime and the
/// API handle every saga alike.
pub trait Saga: Sized {
    /// Where the saga stands, as API.md reports it.
    fn status(&self) -> SagaStatus;

    /// What the runtime must do next. The runtime commits the state before it acts, so
    /// whatever this names may already be under way when the next event arrives.
    fn next_action(&self) -> Action;

    /// Feeds back the outcome of the call [`Saga::next_action`] named, including one that
    /// arrives after a cancel (the late answer of a call that was in flight).
    fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError>;

    /// Applies a signal from a person or an operator.
    fn on_signal(self, signal: Signal, tick: &Tick) -> Result<Self, TransitionError>;

    /// Fires the deadline of the open wait; a stale or early one is refused.
    fn on_deadline(self, tick: &Tick) -> Result<Self, TransitionError>;

    /// The open human step, if any; the runtime sets its timer to its deadline.
    fn waiting_for(&self) -> Option<WaitingFor>;

    /// The step history API.md reports.
    fn steps(&self) -> &[StepRecord];

    /// The kind-specific result as API.md's `result` reports it, when there is one.
    fn result_json(&self) -> Option<serde_json::Value>;

    /// Why the saga did not complete.
    fn error(&self) -> Option<&SagaError>;

    /// The secondary-index entries the runtime must keep for the saga in its current
    /// state, so that callers can find it by something other than its id.
    fn index_entries(&self) -> Vec<IndexEntry<'_>>;
}

/// An entry a saga asks the runtime to keep in a secondary index while it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexEntry<'a> {
    /// An open security prompt, which the wallet lists by payment account.
    SecurityPrompt {
        /// The account the prompt concerns.
        payment_account_id: &'a PaymentAccountId,
        /// The prompt.
        prompt_id: &'a PromptId,
    },
}
