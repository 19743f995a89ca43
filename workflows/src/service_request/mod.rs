//! A merchant's service request made with a virtual service account id (seed 000).
//!
//! The API resolves the virtual id to the real payment account before the saga starts, so
//! the saga carries the real account only inside its sealed state. One step: the wallet
//! charges the real account under the step's idempotency key. The charge is the pivot: once
//! made it is never undone, and a refusal (`insufficient_funds`) ends the request
//! `rejected` with nothing to compensate.

mod request;
mod state;
mod steps;
mod transitions;

#[cfg(test)]
mod tests;

pub use request::{ServiceOperation, ServiceRequestOrder};
pub use state::{ServiceFlow, ServiceRequest, ServiceRequestResult};
pub use steps::{NoUndo, NoWait, ServiceStep};
