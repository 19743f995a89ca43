//! What a saga wants done next: effects as data for the runtime to carry out.

use super::party::PartyCall;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The next thing the runtime must do for a saga.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Perform a party call and feed its outcome back.
    Call {
        /// The call.
        call: PartyCall,
        /// The step it belongs to: with the saga id it forms the idempotency key, so a retry
        /// after a crash is recognised by the party. Unique per distinct call within a saga;
        /// a step that may run once per human attempt carries the attempt number
        /// (e.g. `verify_savings_card_2`), so it is owned rather than `&'static`.
        step: String,
    },
    /// Nothing to do until a signal arrives or the deadline passes.
    Wait {
        /// When the runtime must fire the deadline.
        deadline: DateTime<Utc>,
    },
    /// The saga is in a final status.
    Finished,
}
