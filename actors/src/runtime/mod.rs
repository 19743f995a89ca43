//! The saga runtime on actix: one [`WorkflowActor`](workflow_actor) per live saga, a
//! supervisor that starts, routes to and passivates them, durable timers, and the
//! [`Engine`] handle through which the API reaches all of it.
//!
//! A saga waiting for a human holds no actor: its state is only in the store, and a
//! signal or its timer brings it back.

mod attempt;
mod cell;
mod clock;
mod engine;
mod error;
mod indexes;
mod journal;
mod leases;
mod metrics;
mod prompts;
mod retention;
mod spans;
mod stored_id;
mod supervisor;
mod timers;
mod view;
mod watchers;
mod workflow_actor;

pub use cell::RetryBudget;
pub use clock::{Clock, SystemClock, TokioClock};
pub use engine::{Engine, EngineParts};
pub use error::EngineError;
pub use journal::{HistoryEvent, JournalEntry};
pub use metrics::Metrics;
pub use prompts::OpenPrompt;
pub use retention::RetentionPolicy;
pub use view::{RetryingView, SagaView};
