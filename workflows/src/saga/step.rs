//! The per-step history a saga reports to its callers.

use super::ErrorCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a step ended, as API.md's workflow resource reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step's effect happened.
    Done,
    /// The step was refused; nothing happened.
    Failed,
    /// The step's effect happened and was undone.
    Compensated,
    /// The step was not needed (e.g. no registration for an existing account).
    Skipped,
}

/// One line of a saga's step history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// The step's stable wire name.
    pub name: String,
    /// How it ended (updated to `compensated` when its undo finishes).
    pub status: StepStatus,
    /// When it reached that status.
    pub at: DateTime<Utc>,
}

/// Why a saga did not complete, as API.md's `error` object reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SagaError {
    /// The stable code, e.g. `card_declined`.
    pub code: ErrorCode,
    /// A human-readable explanation free of personal data.
    pub detail: String,
}

impl SagaError {
    /// An error with `code` and `detail`.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
        }
    }
}
