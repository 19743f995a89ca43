//! The outside world as a saga sees it: every clock reading and fresh id comes in here.

use chrono::{DateTime, Utc};

/// The facts a transition may depend on beyond its state and event, supplied by the
/// runtime so that sagas stay deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// The current time.
    pub now: DateTime<Utc>,
    /// A fresh random id, used if the transition opens something (e.g. a security prompt).
    pub fresh_id: String,
}
