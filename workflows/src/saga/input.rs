//! The outside world as a saga sees it: every clock reading and fresh id comes in here.

use crate::domain::PromptId;
use chrono::{DateTime, Utc};

/// The facts a transition may depend on beyond its state and event, supplied by the
/// runtime so that sagas stay deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// The current time.
    pub now: DateTime<Utc>,
    /// A fresh random id for a security prompt the transition may open; it names the
    /// saga's workflow, which the saga itself does not know.
    pub fresh_prompt_id: PromptId,
}
