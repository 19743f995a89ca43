//! The saga model shared by every definition.

mod status;

pub use status::{SagaKind, SagaStatus};
