//! Errors the runtime reports to the API.

use onboard_workflows::TransitionError;

use crate::seal::SealError;
use crate::store::StoreError;

/// Why the runtime could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No saga has that id.
    #[error("saga not found")]
    NotFound,
    /// The saga's definition refused the event (e.g. a closed prompt).
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored state could not be opened.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// The saga's actor could not be reached (the runtime is shutting down).
    #[error("runtime unavailable")]
    Unavailable,
}
