//! Security prompts as the wallet sees them. A prompt id names its saga
//! ([`PromptId::workflow_id`]).

use chrono::{DateTime, Utc};
use onboard_workflows::domain::{PaymentAccountId, PromptId, WorkflowId};
use serde::Serialize;

/// An open security prompt, as `GET /v1/security-prompts` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenPrompt {
    /// Prompt id.
    pub id: PromptId,
    /// The saga waiting on it.
    pub workflow_id: WorkflowId,
    /// The account it concerns.
    pub payment_account_id: PaymentAccountId,
    /// Why the person is asked.
    pub reason: &'static str,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
}

/// Why the wallet asks for a registration's security prompt.
pub(crate) const REGISTRATION_REASON: &str = "card_binding_confirmation";
