//! Settings the request handlers need, taken from the configuration once at start.

use std::sync::Arc;

use crate::auth::Caller;

/// Parameters of new sagas.
#[derive(Debug, Clone)]
pub struct SagaParams {
    /// How long a security prompt stays open.
    pub security_prompt_ttl_secs: i64,
    /// How long a credit application waits for a savings card.
    pub savings_binding_ttl_secs: i64,
}

/// Whose the security prompts are: a prompt belongs to the wallet caller whose payment
/// app holds the saga's payment account. There is one wallet party, so that is the caller
/// `parties.wallet.caller_id`; every other wallet caller sees none of its prompts.
#[derive(Debug, Clone)]
pub struct PromptOwner {
    caller_id: Arc<str>,
}

impl PromptOwner {
    /// The wallet party's caller.
    pub fn new(caller_id: &str) -> PromptOwner {
        PromptOwner {
            caller_id: Arc::from(caller_id),
        }
    }

    /// Whether the prompts of the wallet party's accounts are `caller`'s.
    pub fn owns(&self, caller: &Caller) -> bool {
        *caller.id == *self.caller_id
    }
}
