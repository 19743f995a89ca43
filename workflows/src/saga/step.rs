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

/// A saga's step history, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepLog(Vec<StepRecord>);

impl StepLog {
    /// Adds a line: `name` reached `status` at `at`.
    pub fn record(&mut self, name: &str, status: StepStatus, at: DateTime<Utc>) {
        self.0.push(StepRecord {
            name: name.to_owned(),
            status,
            at,
        });
    }

    /// Updates the newest line of `name`, e.g. to `compensated` once its undo finished.
    pub fn mark(&mut self, name: &str, status: StepStatus, at: DateTime<Utc>) {
        if let Some(record) = self.0.iter_mut().rev().find(|r| r.name == name) {
            record.status = status;
            record.at = at;
        }
    }

    /// The lines, oldest first.
    pub fn as_slice(&self) -> &[StepRecord] {
        &self.0
    }
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
