//! The runtime's side of the parties: turning a saga's [`PartyCall`] into an HTTP request
//! to the bank or wallet, and its answer into a [`CallOutcome`]. Transient and unexpected
//! answers are reported as such, so the runtime retries them with the same idempotency key.
//!
//! [`PartyCall`]: onboard_workflows::PartyCall
//! [`CallOutcome`]: onboard_workflows::CallOutcome

mod answer;
mod backoff;
mod gate;
mod http;
mod real_name;
mod wire;

pub use backoff::Backoff;
pub use gate::{PartyGate, PartyLimits};
pub use http::{HttpParties, PartyError};
pub use real_name::RealNameRecord;
