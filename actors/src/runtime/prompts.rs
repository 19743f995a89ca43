//! Security prompts as the wallet sees them: an index from payment account to open
//! prompts. A prompt id names its saga ([`PromptId::workflow_id`]).

use chrono::{DateTime, Utc};
use onboard_workflows::domain::{PaymentAccountId, PromptId, WorkflowId};
use onboard_workflows::{AnySaga, WaitingFor};
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

/// The index of an account's prompts.
pub(crate) fn index_name(payment_account_id: &PaymentAccountId) -> String {
    format!("prompts:{payment_account_id}")
}

/// The index entry a saga with an open prompt needs: (index, prompt id as stored).
pub(crate) fn index_entry(saga: &AnySaga) -> Option<(String, String)> {
    let account = saga.prompt_account()?;
    match saga.waiting_for()? {
        WaitingFor::SecurityPrompt { prompt_id, .. } => {
            Some((index_name(account), prompt_id.to_string()))
        }
        _ => None,
    }
}
