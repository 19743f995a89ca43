//! The credit-application saga's own data and what it reports.

use super::request::CreditApplicationRequest;
use super::steps::CreditStep;
use crate::domain::{BindingId, CreditAccountId, Money};
use crate::saga::{Kit, RefusalCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A credit-application saga: its data driven by the shared [`Kit`].
pub type CreditApplication = Kit<CreditFlow>;

impl CreditApplication {
    /// A new saga about to ask the bank for an existing credit account.
    pub fn start(request: CreditApplicationRequest, savings_deadline_secs: i64) -> Self {
        let flow = CreditFlow {
            savings_deadline_secs,
            credit_account_id: None,
            credit_limit: None,
            savings_binding_id: None,
            created: false,
            card_attempts: 0,
        };
        Kit::new(request, flow, CreditStep::CreditAccountLookup)
    }
}

/// What the credit application learns on the way, beyond the wallet's record; its
/// decisions are in `transitions.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditFlow {
    /// How long the person has to supply a savings card, in seconds (from configuration).
    pub savings_deadline_secs: i64,
    /// The credit account, once known (found or created).
    pub credit_account_id: Option<CreditAccountId>,
    /// Its limit, once known.
    pub credit_limit: Option<Money>,
    /// The savings binding the credit account draws on, once known (reported in the
    /// result; compensation reads the undo stack, not this).
    pub savings_binding_id: Option<BindingId>,
    /// Whether this saga created the credit account.
    pub created: bool,
    /// How many savings cards the person has supplied; numbers the card steps.
    pub card_attempts: u32,
}

/// Waiting for the person to supply a savings card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsCardWait {
    /// When the wait lapses; kept across refused cards.
    pub deadline: DateTime<Utc>,
    /// Why the last supplied card was refused, if one was.
    pub last_rejection: Option<RefusalCode>,
}

/// The result API.md reports for a credit application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplicationResult {
    /// The person's credit account.
    pub credit_account_id: CreditAccountId,
    /// Its limit.
    pub credit_limit: Money,
    /// The savings binding it draws on; `None` when the person already held the account.
    pub savings_binding_id: Option<BindingId>,
    /// Whether this saga created the credit account.
    pub created: bool,
}
