//! The saga model shared by every definition.

mod action;
mod error;
mod error_code;
mod input;
mod party;
mod refusal;
mod signal;
mod status;
mod step;
mod waiting;

pub use action::Action;
pub use error::TransitionError;
pub use error_code::ErrorCode;
pub use input::Tick;
pub use party::{CallOutcome, Party, PartyCall, PartyReply};
pub use refusal::RefusalCode;
pub use signal::Signal;
pub use status::{SagaKind, SagaStatus};
pub use step::{SagaError, StepRecord, StepStatus};
pub use waiting::WaitingFor;
