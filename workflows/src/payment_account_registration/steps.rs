//! The steps of the registration saga, each declared beside its undo.

use crate::saga::ErrorCode;
use serde::{Deserialize, Serialize};

/// A forward step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForwardStep {
    /// Find the person's open payment account.
    LookupPerson,
    /// Register a payment account when the person has none.
    RegisterPaymentAccount,
    /// The bank verifies the card for this person.
    VerifyCard,
    /// Bind the card to the payment account.
    BindCard,
    /// Ask the wallet whether a security authentication is needed.
    SecurityRule,
}

impl ForwardStep {
    /// The step's stable wire name, also the idempotency-key suffix of its call.
    pub fn name(self) -> &'static str {
        match self {
            ForwardStep::LookupPerson => "lookup_person",
            ForwardStep::RegisterPaymentAccount => "register_payment_account",
            ForwardStep::VerifyCard => "verify_card",
            ForwardStep::BindCard => "bind_card",
            ForwardStep::SecurityRule => "security_rule",
        }
    }

    /// The undo of this step's effect, if it has one.
    pub fn undo(self) -> Option<UndoStep> {
        match self {
            ForwardStep::RegisterPaymentAccount => Some(UndoStep::CloseAccount),
            ForwardStep::BindCard => Some(UndoStep::UnbindCard),
            ForwardStep::LookupPerson | ForwardStep::VerifyCard | ForwardStep::SecurityRule => None,
        }
    }

    /// The error code a definite refusal of this step ends the saga with.
    pub fn refusal_code(self) -> ErrorCode {
        match self {
            ForwardStep::LookupPerson => ErrorCode::PersonLookupRefused,
            ForwardStep::RegisterPaymentAccount => ErrorCode::RegistrationRefused,
            ForwardStep::VerifyCard => ErrorCode::CardDeclined,
            ForwardStep::BindCard => ErrorCode::BindingRefused,
            ForwardStep::SecurityRule => ErrorCode::SecurityRuleRefused,
        }
    }
}

/// A compensation step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndoStep {
    /// Remove the binding this saga made.
    UnbindCard,
    /// Close the account this saga registered.
    CloseAccount,
}

impl UndoStep {
    /// The undo's stable name, also the idempotency-key suffix of its call.
    pub fn name(self) -> &'static str {
        match self {
            UndoStep::UnbindCard => "unbind_card",
            UndoStep::CloseAccount => "close_account",
        }
    }

    /// The forward step whose effect this undoes.
    pub fn undoes(self) -> ForwardStep {
        match self {
            UndoStep::UnbindCard => ForwardStep::BindCard,
            UndoStep::CloseAccount => ForwardStep::RegisterPaymentAccount,
        }
    }
}

/// The name under which the human security step appears in the step history.
pub const SECURITY_AUTHENTICATION: &str = "security_authentication";
