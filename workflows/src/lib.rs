//! Saga definitions as pure, deterministic state machines: no IO, no clock, no randomness.
//! Time, ids and party outcomes come in as inputs; effects go out as data.

pub mod saga;

pub use saga::{SagaKind, SagaStatus};
