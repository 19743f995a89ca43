//! The steps of the registration saga, each declared beside its undo.

use super::request::RegistrationRequest;
use crate::domain::PaymentAccountId;
use crate::saga::{self, Effect, ErrorCode, PartyCall, PartyReply};
use serde::{Deserialize, Serialize};

/// A forward step, carrying what its call needs beyond the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum RegistrationStep {
    /// Find the person's open payment account.
    LookupPerson,
    /// Register a payment account when the person has none.
    RegisterPaymentAccount,
    /// The bank verifies the card for this person.
    VerifyCard {
        /// The account the card will be bound to.
        payment_account_id: PaymentAccountId,
    },
    /// Bind the card to the payment account.
    BindCard {
        /// The account.
        payment_account_id: PaymentAccountId,
    },
    /// Ask the wallet whether a security authentication is needed.
    SecurityRule {
        /// The account concerned.
        payment_account_id: PaymentAccountId,
    },
}

impl saga::Step for RegistrationStep {
    type Request = RegistrationRequest;
    type Undo = RegistrationUndo;

    fn name(&self) -> String {
        match self {
            RegistrationStep::LookupPerson => "lookup_person",
            RegistrationStep::RegisterPaymentAccount => "register_payment_account",
            RegistrationStep::VerifyCard { .. } => "verify_card",
            RegistrationStep::BindCard { .. } => "bind_card",
            RegistrationStep::SecurityRule { .. } => "security_rule",
        }
        .to_owned()
    }

    fn call(&self, request: &RegistrationRequest) -> PartyCall {
        match self {
            RegistrationStep::LookupPerson => PartyCall::LookupPerson {
                id_number: request.id_number.clone(),
            },
            RegistrationStep::RegisterPaymentAccount => PartyCall::RegisterAccount {
                name: request.name.clone(),
                id_number: request.id_number.clone(),
                phone: request.phone.clone(),
            },
            RegistrationStep::VerifyCard { .. } => PartyCall::VerifyCard {
                card_number: request.card_number.clone(),
                id_number: request.id_number.clone(),
            },
            RegistrationStep::BindCard { payment_account_id } => PartyCall::BindCard {
                payment_account_id: payment_account_id.clone(),
                card_number: request.card_number.clone(),
            },
            RegistrationStep::SecurityRule { payment_account_id } => PartyCall::SecurityRule {
                payment_account_id: payment_account_id.clone(),
            },
        }
    }

    fn effect(&self) -> Effect<RegistrationUndo> {
        match self {
            RegistrationStep::RegisterPaymentAccount => {
                Effect::UndoneBy(RegistrationUndo::CloseAccount)
            }
            RegistrationStep::BindCard { .. } => Effect::UndoneBy(RegistrationUndo::UnbindCard),
            RegistrationStep::LookupPerson
            | RegistrationStep::VerifyCard { .. }
            | RegistrationStep::SecurityRule { .. } => Effect::ReadOnly,
        }
    }
}

impl RegistrationStep {
    /// The error code a definite refusal of this step ends the saga with.
    pub fn refusal_code(&self) -> ErrorCode {
        match self {
            RegistrationStep::LookupPerson => ErrorCode::PersonLookupRefused,
            RegistrationStep::RegisterPaymentAccount => ErrorCode::RegistrationRefused,
            RegistrationStep::VerifyCard { .. } => ErrorCode::CardDeclined,
            RegistrationStep::BindCard { .. } => ErrorCode::BindingRefused,
            RegistrationStep::SecurityRule { .. } => ErrorCode::SecurityRuleRefused,
        }
    }
}

/// A compensation step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationUndo {
    /// Remove the binding `bind_card` made.
    UnbindCard,
    /// Close the account `register_payment_account` opened (never one found by lookup).
    CloseAccount,
}

impl saga::Undo for RegistrationUndo {
    fn name(&self) -> &'static str {
        match self {
            RegistrationUndo::UnbindCard => "unbind_card",
            RegistrationUndo::CloseAccount => "close_account",
        }
    }

    fn call(&self, output: &PartyReply) -> Option<PartyCall> {
        match (self, output) {
            (RegistrationUndo::UnbindCard, PartyReply::CardBound { binding_id }) => {
                Some(PartyCall::UnbindCard {
                    binding_id: binding_id.clone(),
                })
            }
            (
                RegistrationUndo::CloseAccount,
                PartyReply::AccountRegistered { payment_account_id },
            ) => Some(PartyCall::CloseAccount {
                payment_account_id: payment_account_id.clone(),
            }),
            _ => None,
        }
    }
}

/// The name under which the human security step appears in the step history.
pub const SECURITY_AUTHENTICATION: &str = "security_authentication";
