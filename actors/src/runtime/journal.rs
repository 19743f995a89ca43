//! Journal entries: what happened to a saga, for operators. They name events, steps and
//! statuses only, never personal data.

use onboard_workflows::SagaStatus;
use serde::Serialize;

/// One line of a saga's journal.
#[derive(Debug, Serialize)]
pub(crate) struct JournalEntry<'a> {
    /// Unix milliseconds.
    pub at_ms: i64,
    /// What happened: `created`, `outcome`, `signal:<name>`, `deadline`, `timer_reset`.
    pub event: &'a str,
    /// The step concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<&'a str>,
    /// The status after the event.
    pub status: SagaStatus,
}

impl JournalEntry<'_> {
    /// The entry as stored bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("journal entries always serialise")
    }
}
