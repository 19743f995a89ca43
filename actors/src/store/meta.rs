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
    /// Set by an operator's pause, or when a step's retries ran out: a paused saga makes
    /// no party call until an operator resumes or cancels it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub paused: bool,
    /// The party call now being retried and why, while one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrying: Option<Retrying>,
    /// The W3C `traceparent` of the saga's root span (trace id and span id), when spans
    /// were exported at its creation: every later span of the saga is its child, in any
    /// process. Random ids only, never personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

impl SagaMeta {
    /// Whether the saga has work that no one needs to wait for: its status needs driving
    /// and no one paused it. Exactly these sagas are in the active set.
    pub fn needs_driving(&self) -> bool {
        self.status.needs_driving() && !self.paused
    }
}

impl SagaMeta {
    /// Whether the saga finished with nothing left for anyone to do (completed or
    /// compensated), so that retention deletes it once its period has passed. A failed
    /// saga is not finished in this sense: it waits for an operator.
    pub fn is_finished(&self) -> bool {
        matches!(self.status, SagaStatus::Completed | SagaStatus::Compensated)
    }

    /// Whether the saga waits for an operator's resume or cancel: paused and not ended.
    pub fn is_paused(&self) -> bool {
        self.paused && !self.status.is_final()
    }
}

/// A party call that did not get a definite answer, and is retried under the same key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retrying {
    /// The step whose call is retried.
    pub step: String,
    /// Attempts made so far under the current budget.
    pub attempts: u32,
    /// What the last attempt got.
    pub last_error: CallError,
    /// When the next attempt is due (Unix ms); `None` once the budget ran out.
    pub next_attempt_at_ms: Option<i64>,
    /// When the budget's first failed attempt was made (Unix ms), to bound the elapsed time.
    pub since_ms: i64,
}

/// Why a party call attempt did not get a definite answer; never personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallError {
    /// A stable slug: `party_unreachable`, `party_unavailable` or `party_unexpected`.
    pub code: String,
    /// What happened, e.g. `party answered 503`.
    pub detail: String,
}

/// The stored form of `meta`.
pub(super) fn encode(meta: &SagaMeta) -> Result<String, StoreError> {
    serde_json::to_string(meta).map_err(|e| StoreError::Corrupt(format!("saga meta: {e}")))
}

/// The meta of saga `id` from its stored form.
pub(super) fn decode(id: &str, meta: &str) -> Result<SagaMeta, StoreError> {
    serde_json::from_str(meta).map_err(|e| StoreError::Corrupt(format!("meta of saga {id}: {e}")))
}
