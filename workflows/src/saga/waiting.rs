//! What a waiting saga waits for, as API.md's `waiting_for` reports it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The human step a waiting saga needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WaitingFor {
    /// A security prompt on the payment-app client.
    SecurityPrompt {
        /// The prompt to decide on.
        prompt_id: String,
        /// When the prompt lapses and the saga compensates.
        deadline: DateTime<Utc>,
    },
}
