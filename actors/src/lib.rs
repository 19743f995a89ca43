//! The saga runtime: actix actors driving the pure sagas of `onboard-workflows`, durable
//! store backends, party connectors over HTTP, and sealing of personal data at rest.

pub mod parties;
pub mod runtime;
pub mod seal;
pub mod store;
pub mod traces;

pub use runtime::{
    Clock, Engine, EngineError, EngineParts, HistoryEvent, JournalEntry, OpenPrompt,
    RetentionPolicy, RetryBudget, RetryingView, SagaView, SystemClock, TokioClock,
};
