//! The steps of the credit-application saga, each declared beside its undo.

use crate::saga::{ErrorCode, Party};
use serde::{Deserialize, Serialize};

/// A forward step that runs at most once per saga.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForwardStep {
    /// The bank looks for the person's active credit account.
    CreditAccountLookup,
    /// The wallet reports the account's savings binding.
    SavingsStatus,
    /// The bank creates the credit account against the savings binding.
    CreateCreditAccount,
}

impl ForwardStep {
    /// The step's stable wire name, also the idempotency-key suffix of its call.
    pub fn name(self) -> &'static str {
        match self {
            ForwardStep::CreditAccountLookup => "credit_account_lookup",
            ForwardStep::SavingsStatus => "savings_status",
            ForwardStep::CreateCreditAccount => "create_credit_account",
        }
    }

    /// Who serves the step's call.
    pub fn party(self) -> Party {
        match self {
            ForwardStep::SavingsStatus => Party::Wallet,
            ForwardStep::CreditAccountLookup | ForwardStep::CreateCreditAccount => Party::Bank,
        }
    }

    /// The error code a definite refusal of this step ends the saga with.
    pub fn refusal_code(self) -> ErrorCode {
        match self {
            ForwardStep::CreditAccountLookup => ErrorCode::CreditLookupRefused,
            ForwardStep::SavingsStatus => ErrorCode::SavingsStatusRefused,
            ForwardStep::CreateCreditAccount => ErrorCode::CreditCreationRefused,
        }
    }
}

/// A forward step run once per savings card the person supplies; a refusal sends the saga
/// back to waiting for another card instead of ending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStep {
    /// The bank confirms the card is a savings card of this person.
    VerifySavingsCard,
    /// The wallet binds the card as the account's savings binding.
    BindSavingsCard,
}

impl CardStep {
    /// The step's name without its attempt number.
    pub fn base_name(self) -> &'static str {
        match self {
            CardStep::VerifySavingsCard => "verify_savings_card",
            CardStep::BindSavingsCard => "bind_savings_card",
        }
    }

    /// The step's wire name for the `attempt`-th supplied card (from 1), also the
    /// idempotency-key suffix of its call, e.g. `verify_savings_card_2`.
    pub fn name(self, attempt: u32) -> String {
        format!("{}_{attempt}", self.base_name())
    }

    /// The undo of this step's effect, if it has one.
    pub fn undo(self) -> Option<UndoStep> {
        match self {
            CardStep::VerifySavingsCard => None,
            CardStep::BindSavingsCard => Some(UndoStep::UnbindSavingsCard),
        }
    }
}

/// A compensation step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndoStep {
    /// Remove the savings binding this saga made (never one that existed before).
    UnbindSavingsCard,
}

impl UndoStep {
    /// The undo's stable name, also the idempotency-key suffix of its call.
    pub fn name(self) -> &'static str {
        match self {
            UndoStep::UnbindSavingsCard => "unbind_savings_card",
        }
    }

    /// The card step whose effect this undoes.
    pub fn undoes(self) -> CardStep {
        match self {
            UndoStep::UnbindSavingsCard => CardStep::BindSavingsCard,
        }
    }
}

/// The name under which the human savings-binding step appears in the step history:
/// `skipped` when a binding already existed, `done` once a supplied card is bound,
/// `failed` when the deadline passed.
pub const SAVINGS_ACCOUNT_BINDING: &str = "savings_account_binding";
