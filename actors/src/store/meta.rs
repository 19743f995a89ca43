//! The clear-text facts of a saga, and their one stored encoding (JSON) for both backends.

use onboard_workflows::{SagaKind, SagaStatus};
use serde::{Deserialize, Serialize};

use super::StoreError;

/// The clear-text facts about a saga that the store needs for listing and recovery.
/// Never holds personal data: that lives only inside the sealed `state` bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SagaMeta {
    /// Which saga definition drives it.
    pub kind: SagaKind,
    /// Its status after this transition.
    pub status: SagaStatus,
    /// The caller (bank id, wallet id …) that owns it; other callers never see it.
    pub owner: String,
    /// Creation time, Unix milliseconds.
    pub created_at_ms: i64,
    /// Time of this transition, Unix milliseconds.
    pub updated_at_ms: i64,
}

/// The stored form of `meta`.
pub(super) fn encode(meta: &SagaMeta) -> Result<String, StoreError> {
    serde_json::to_string(meta).map_err(|e| StoreError::Corrupt(format!("saga meta: {e}")))
}

/// The meta of saga `id` from its stored form.
pub(super) fn decode(id: &str, meta: &str) -> Result<SagaMeta, StoreError> {
    serde_json::from_str(meta).map_err(|e| StoreError::Corrupt(format!("meta of saga {id}: {e}")))
}
