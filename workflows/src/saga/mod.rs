//! The saga model shared by every definition: the vocabulary between sagas, parties and
//! the runtime, the [`Saga`] interface, and the [`Kit`] that implements it for any
//! [`Definition`].

mod action;
mod definition;
mod error;
mod error_code;
mod input;
mod interface;
mod kit;
mod party;
mod refusal;
mod signal;
mod status;
mod step;
#[cfg(test)]
pub(crate) mod testkit;
mod waiting;

pub use action::Action;
pub use definition::RequestOf;
pub use definition::{Context, Definition, Effect, Next, Step, Stored, Undo, UndoOf};
pub use error::TransitionError;
pub use error_code::ErrorCode;
pub use input::Tick;
pub use interface::{IndexEntry, Saga};
pub use kit::{Kit, Phase, UndoEntry};
pub use party::{CallOutcome, Party, PartyCall, PartyReply};
pub use refusal::RefusalCode;
pub use signal::Signal;
pub use status::{SagaKind, SagaStatus};
pub use step::{SagaError, StepLog, StepRecord, StepStatus};
pub use waiting::WaitingFor;
