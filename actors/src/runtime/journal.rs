//! Journal entries: what happened to a saga, for operators' history. They name events,
//! steps, attempts and outcomes only, never personal data.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use onboard_workflows::SagaStatus;
use serde::{Deserialize, Serialize};

/// One line of a saga's journal, written in the same commit as the transition it names.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Unix milliseconds.
    pub at_ms: i64,
    /// What happened: `created`, `outcome`, `attempt_failed`, `retries_exhausted`,
    /// `signal:<name>`, `paused`, `resumed`, `deadline`, `timer_reset`.
    pub event: Cow<'static, str>,
    /// The step concerned, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// The party-call attempt it records (1 for the first), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    /// How that attempt ended: `succeeded`, `refused`, `transient` or `unexpected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Cow<'static, str>>,
    /// A refusal code or an error's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The status after the event.
    pub status: SagaStatus,
}

impl JournalEntry {
    /// An entry for `event` leaving the saga at `status`, with nothing else to say.
    pub fn event(at_ms: i64, event: impl Into<Cow<'static, str>>, status: SagaStatus) -> Self {
        JournalEntry {
            at_ms,
            event: event.into(),
            step: None,
            attempt: None,
            outcome: None,
            detail: None,
            status,
        }
    }

    /// The entry as stored bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("journal entries always serialise")
    }

    /// An entry from its stored bytes; `None` for bytes no version ever wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        serde_json::from_slice(bytes).ok()
    }
}

/// One event of API.md's `history`: the journal entry as operators read it.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened (the journal's event name).
    #[serde(rename = "type")]
    pub kind: String,
    /// The step concerned, if any.
    pub step: Option<String>,
    /// The attempt it records, if any.
    pub attempt: Option<u32>,
    /// How that attempt ended, if it records one.
    pub outcome: Option<String>,
    /// A refusal code or an error's description.
    pub detail: Option<String>,
    /// The saga's status after it.
    pub status: SagaStatus,
}

impl From<JournalEntry> for HistoryEvent {
    fn from(entry: JournalEntry) -> Self {
        HistoryEvent {
            at: DateTime::from_timestamp_millis(entry.at_ms).unwrap_or_default(),
            kind: entry.event.into_owned(),
            step: entry.step,
            attempt: entry.attempt,
            outcome: entry.outcome.map(Cow::into_owned),
            detail: entry.detail,
            status: entry.status,
        }
    }
}
