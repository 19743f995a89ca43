//! What people and operators can tell a saga from outside.

use crate::domain::{CardNumber, PromptId};
use serde::{Deserialize, Serialize};

/// A message delivered to a saga by the API rather than by a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Signal {
    /// The person decided on a security prompt in the payment-app client.
    SecurityDecision {
        /// The prompt decided on; only the open one is accepted.
        prompt_id: PromptId,
        /// `true` to approve, `false` to reject.
        approved: bool,
    },
    /// The person supplied a savings card for a credit application waiting for one.
    SavingsCardSupplied {
        /// The card to verify and bind.
        card_number: CardNumber,
    },
    /// An operator asks to undo a running or waiting saga.
    Cancel,
    /// An operator asks to resume a failed saga.
    Retry,
}

impl Signal {
    /// The signal's name, for journals and errors.
    pub fn name(&self) -> &'static str {
        match self {
            Signal::SecurityDecision { .. } => "security_decision",
            Signal::SavingsCardSupplied { .. } => "savings_card_supplied",
            Signal::Cancel => "cancel",
            Signal::Retry => "retry",
        }
    }
}
