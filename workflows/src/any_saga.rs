//! One type over every saga definition, so the runtime and the store handle them alike.

use crate::payment_account_registration::Registration;
use crate::saga::{
    Action, CallOutcome, SagaError, SagaKind, SagaStatus, Signal, StepRecord, Tick,
    TransitionError, WaitingFor,
};
use crate::virtual_credit_account::CreditApplication;
use serde::{Deserialize, Serialize};

/// A saga of any kind, as it is sealed into the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "state", rename_all = "snake_case")]
pub enum AnySaga {
    /// Seed 001.
    PaymentAccountRegistration(Registration),
    /// Seed 004.
    VirtualCreditAccount(CreditApplication),
}

impl AnySaga {
    /// Which definition drives it.
    pub fn kind(&self) -> SagaKind {
        match self {
            AnySaga::PaymentAccountRegistration(_) => SagaKind::PaymentAccountRegistration,
            AnySaga::VirtualCreditAccount(_) => SagaKind::VirtualCreditAccount,
        }
    }

    /// Where it stands.
    pub fn status(&self) -> SagaStatus {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s.status(),
            AnySaga::VirtualCreditAccount(s) => s.status(),
        }
    }

    /// What the runtime must do next.
    pub fn next_action(&self) -> Action {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s.next_action(),
            AnySaga::VirtualCreditAccount(s) => s.next_action(),
        }
    }

    /// Feeds back a call's outcome.
    pub fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s
                .on_outcome(outcome, tick)
                .map(Self::PaymentAccountRegistration),
            AnySaga::VirtualCreditAccount(s) => {
                s.on_outcome(outcome, tick).map(Self::VirtualCreditAccount)
            }
        }
    }

    /// Applies a signal.
    pub fn on_signal(self, signal: Signal, tick: &Tick) -> Result<Self, TransitionError> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s
                .on_signal(signal, tick)
                .map(Self::PaymentAccountRegistration),
            AnySaga::VirtualCreditAccount(s) => {
                s.on_signal(signal, tick).map(Self::VirtualCreditAccount)
            }
        }
    }

    /// Fires the deadline.
    pub fn on_deadline(self, tick: &Tick) -> Result<Self, TransitionError> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => {
                s.on_deadline(tick).map(Self::PaymentAccountRegistration)
            }
            AnySaga::VirtualCreditAccount(s) => s.on_deadline(tick).map(Self::VirtualCreditAccount),
        }
    }

    /// Step history.
    pub fn steps(&self) -> &[StepRecord] {
        match self {
            AnySaga::PaymentAccountRegistration(s) => &s.steps,
            AnySaga::VirtualCreditAccount(s) => &s.steps,
        }
    }

    /// Why it did not complete.
    pub fn error(&self) -> Option<&SagaError> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s.error.as_ref(),
            AnySaga::VirtualCreditAccount(s) => s.error.as_ref(),
        }
    }

    /// The open human step.
    pub fn waiting_for(&self) -> Option<WaitingFor> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => s.waiting_for(),
            AnySaga::VirtualCreditAccount(s) => s.waiting_for(),
        }
    }

    /// The kind-specific result as JSON, when there is one.
    pub fn result_json(&self) -> Option<serde_json::Value> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => {
                s.result().and_then(|r| serde_json::to_value(r).ok())
            }
            AnySaga::VirtualCreditAccount(s) => {
                s.result().and_then(|r| serde_json::to_value(r).ok())
            }
        }
    }

    /// The payment account an open security prompt concerns, so the wallet can list the
    /// prompts of an account. Only registrations open security prompts.
    pub fn prompt_account(&self) -> Option<&str> {
        match self {
            AnySaga::PaymentAccountRegistration(s) => match s.waiting_for() {
                Some(WaitingFor::SecurityPrompt { .. }) => s.payment_account_id.as_deref(),
                Some(WaitingFor::SavingsAccountBinding { .. }) | None => None,
            },
            AnySaga::VirtualCreditAccount(_) => None,
        }
    }
}
