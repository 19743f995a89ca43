//! The steps of the credit-application saga, each declared beside its undo.

use super::request::CreditApplicationRequest;
use crate::domain::{BindingId, CardNumber};
use crate::saga::{self, Effect, Party, PartyCall, PartyReply};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A forward step, carrying what its call needs beyond the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum CreditStep {
    /// The bank looks for the person's active credit account.
    CreditAccountLookup,
    /// The wallet reports the account's savings binding.
    SavingsStatus,
    /// The bank confirms the supplied card is a savings card of this person; a refusal
    /// sends the saga back to waiting for another card.
    VerifySavingsCard(CardAttempt),
    /// The wallet binds the supplied card as the account's savings binding; a refusal
    /// sends the saga back to waiting for another card.
    BindSavingsCard(CardAttempt),
    /// The bank creates the credit account against the savings binding: the pivot, never
    /// undone.
    CreateCreditAccount {
        /// The savings binding the credit account draws on.
        savings_binding_id: BindingId,
    },
}

/// One savings card the person supplied. The card lives only in the steps that check it,
/// so it is dropped as soon as it is refused or bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardAttempt {
    /// The card.
    pub card: CardNumber,
    /// Which supplied card this is (from 1); it numbers the step names.
    pub number: u32,
    /// The wait's deadline, restored if the card is refused.
    pub deadline: DateTime<Utc>,
}

impl saga::Step for CreditStep {
    type Request = CreditApplicationRequest;
    type Undo = CreditUndo;

    /// The card steps carry the attempt number (`verify_savings_card_2`), so a new card is
    /// never answered by the party's replay of the previous card's call.
    fn name(&self) -> String {
        match self {
            CreditStep::CreditAccountLookup => "credit_account_lookup".to_owned(),
            CreditStep::SavingsStatus => "savings_status".to_owned(),
            CreditStep::VerifySavingsCard(attempt) => {
                format!("verify_savings_card_{}", attempt.number)
            }
            CreditStep::BindSavingsCard(attempt) => {
                format!("bind_savings_card_{}", attempt.number)
            }
            CreditStep::CreateCreditAccount { .. } => CREATE_CREDIT_ACCOUNT.to_owned(),
        }
    }

    fn call(&self, request: &CreditApplicationRequest) -> PartyCall {
        match self {
            CreditStep::CreditAccountLookup => PartyCall::CreditAccountLookup {
                name: request.name.clone(),
                id_number: request.id_number.clone(),
            },
            CreditStep::SavingsStatus => PartyCall::SavingsStatus {
                payment_account_id: request.payment_account_id.clone(),
            },
            CreditStep::VerifySavingsCard(attempt) => PartyCall::VerifySavingsCard {
                card_number: attempt.card.clone(),
                id_number: request.id_number.clone(),
            },
            CreditStep::BindSavingsCard(attempt) => PartyCall::BindSavingsCard {
                payment_account_id: request.payment_account_id.clone(),
                card_number: attempt.card.clone(),
            },
            CreditStep::CreateCreditAccount { savings_binding_id } => {
                PartyCall::CreateCreditAccount {
                    name: request.name.clone(),
                    id_number: request.id_number.clone(),
                    payment_account_id: request.payment_account_id.clone(),
                    savings_binding_id: savings_binding_id.clone(),
                    history: request.history.clone(),
                }
            }
        }
    }

    fn effect(&self) -> Effect<CreditUndo> {
        match self {
            CreditStep::BindSavingsCard(_) => Effect::UndoneBy(CreditUndo::UnbindSavingsCard),
            CreditStep::CreateCreditAccount { .. } => Effect::Pivot,
            CreditStep::CreditAccountLookup
            | CreditStep::SavingsStatus
            | CreditStep::VerifySavingsCard(_) => Effect::ReadOnly,
        }
    }
}

impl CreditStep {
    /// Who serves the step's call, as a refusal's detail names it.
    pub fn party(&self) -> Party {
        match self {
            CreditStep::SavingsStatus | CreditStep::BindSavingsCard(_) => Party::Wallet,
            CreditStep::CreditAccountLookup
            | CreditStep::VerifySavingsCard(_)
            | CreditStep::CreateCreditAccount { .. } => Party::Bank,
        }
    }
}

/// A compensation step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditUndo {
    /// Remove the savings binding `bind_savings_card_n` made (never one that existed
    /// before the saga: no step of the saga made that one).
    UnbindSavingsCard,
}

impl saga::Undo for CreditUndo {
    fn name(&self) -> &'static str {
        match self {
            CreditUndo::UnbindSavingsCard => "unbind_savings_card",
        }
    }

    fn call(&self, output: &PartyReply) -> Option<PartyCall> {
        match (self, output) {
            (CreditUndo::UnbindSavingsCard, PartyReply::SavingsCardBound { binding_id }) => {
                Some(PartyCall::UnbindCard {
                    binding_id: binding_id.clone(),
                })
            }
            _ => None,
        }
    }
}

/// The name of the creation step, also recorded `skipped` when the person already holds a
/// credit account.
pub(super) const CREATE_CREDIT_ACCOUNT: &str = "create_credit_account";

/// The name under which the human savings-binding step appears in the step history:
/// `skipped` when a binding already existed, `done` once a supplied card is bound,
/// `failed` when the deadline passed.
pub const SAVINGS_ACCOUNT_BINDING: &str = "savings_account_binding";
