//! Saga definitions as pure, deterministic state machines: no IO, no clock, no randomness.
//! Time, ids and party outcomes come in as inputs; effects go out as data.

pub mod any_saga;
pub mod domain;
pub mod payment_account_registration;
pub mod saga;
pub mod service_request;
pub mod virtual_credit_account;

pub use any_saga::AnySaga;
pub use saga::{
    Action, CallOutcome, ErrorCode, IndexEntry, Party, PartyCall, PartyReply, RefusalCode, Saga,
    SagaError, SagaKind, SagaStatus, Signal, StepRecord, StepStatus, Tick, TransitionError,
    WaitingFor,
};
