//! What a waiting saga waits for, as API.md's `waiting_for` reports it.

use super::RefusalCode;
use crate::domain::PromptId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The human step a waiting saga needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WaitingFor {
    /// A security prompt on the payment-app client.
    SecurityPrompt {
        /// The prompt to decide on.
        prompt_id: PromptId,
        /// When the prompt lapses and the saga compensates.
        deadline: DateTime<Utc>,
    },
    /// The person must supply a savings card so the wallet account has a savings binding.
    SavingsAccountBinding {
        /// When the wait lapses and the saga compensates.
        deadline: DateTime<Utc>,
        /// The reason code of the last supplied card that was refused (e.g.
        /// `not_savings_card`, `card_holder_mismatch`), while the saga keeps waiting.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_rejection: Option<RefusalCode>,
    },
}

impl WaitingFor {
    /// When the wait lapses; the runtime sets its timer to this.
    pub fn deadline(&self) -> DateTime<Utc> {
        match self {
            WaitingFor::SecurityPrompt { deadline, .. }
            | WaitingFor::SavingsAccountBinding { deadline, .. } => *deadline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WaitingFor;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    #[test]
    fn savings_binding_serialises_as_api_md_says() {
        let deadline = Utc.with_ymd_and_hms(2026, 1, 1, 0, 10, 0).unwrap();
        let open = WaitingFor::SavingsAccountBinding {
            deadline,
            last_rejection: None,
        };
        assert_eq!(
            serde_json::to_value(&open).unwrap(),
            json!({"kind": "savings_account_binding", "deadline": "2026-01-01T00:10:00Z"})
        );
        let refused = WaitingFor::SavingsAccountBinding {
            deadline,
            last_rejection: Some("not_savings_card".into()),
        };
        let value = serde_json::to_value(&refused).unwrap();
        assert_eq!(value["last_rejection"], "not_savings_card");
        assert_eq!(
            serde_json::from_value::<WaitingFor>(value).unwrap(),
            refused
        );
        assert_eq!(refused.deadline(), deadline);
    }
}
