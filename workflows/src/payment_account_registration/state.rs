//! The registration saga's own data and what it reports.

use super::request::RegistrationRequest;
use super::steps::RegistrationStep;
use crate::domain::{BindingId, PaymentAccountId, PromptId};
use crate::saga::Kit;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A registration saga: its data driven by the shared [`Kit`].
pub type Registration = Kit<RegistrationFlow>;

impl Registration {
    /// A new saga about to look the person up.
    pub fn start(request: RegistrationRequest, prompt_ttl_secs: i64) -> Self {
        let flow = RegistrationFlow {
            prompt_ttl_secs,
            payment_account_id: None,
            account_created: false,
            binding_id: None,
        };
        Kit::new(request, flow, RegistrationStep::LookupPerson)
    }
}

/// What the registration learns on the way, beyond the bank's request; its decisions
/// are in `transitions.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationFlow {
    /// How long a security prompt stays open, in seconds (from configuration at start).
    pub prompt_ttl_secs: i64,
    /// The person's payment account, once known (reported in the result).
    pub payment_account_id: Option<PaymentAccountId>,
    /// Whether this saga registered that account, as the result reports it (compensation
    /// reads the undo stack, not this).
    pub account_created: bool,
    /// The card binding, once made (reported in the result).
    pub binding_id: Option<BindingId>,
}

/// The open security prompt the saga waits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityPrompt {
    /// The prompt to decide on.
    pub prompt_id: PromptId,
    /// The account it concerns, by which the wallet lists prompts.
    pub payment_account_id: PaymentAccountId,
    /// When it lapses.
    pub deadline: DateTime<Utc>,
}

/// The result API.md reports for a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationResult {
    /// The person's payment account.
    pub payment_account_id: PaymentAccountId,
    /// Whether this saga registered it.
    pub account_created: bool,
    /// The card binding, once made.
    pub binding_id: Option<BindingId>,
}
