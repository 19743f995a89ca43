//! Errors of the storage layer.

/// Why a store operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer advanced the saga first; reload and decide again.
    #[error("saga {id} is at another version than {expected}")]
    VersionConflict {
        /// The saga.
        id: String,
        /// The version the writer expected.
        expected: u64,
    },
    /// The writer's lease of the saga lapsed or passed to another replica: nothing was
    /// written, and the writer must stop driving the saga.
    #[error("lease of saga {0} lost")]
    LeaseLost(String),
    /// The saga does not exist.
    #[error("saga {0} not found")]
    NotFound(String),
    /// The Redis backend failed.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// The embedded backend failed.
    #[error("embedded store: {0}")]
    Embedded(String),
    /// The embedded store's file is open in another process (a running server): it
    /// serves one process only.
    #[error("embedded store {0} is in use by another process (a running `onboard serve`?)")]
    InUse(String),
    /// A stored value could not be decoded.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The store did not answer within the operation's time limit. The operation was
    /// abandoned: it is never sent later, and a write that had already left refuses to
    /// apply once its caller stopped waiting.
    #[error("store {operation} timed out after {limit_ms} ms")]
    TimedOut {
        /// The operation, e.g. `insert`.
        operation: &'static str,
        /// The time limit.
        limit_ms: u64,
    },
    /// A write reached the store after its caller had stopped waiting for it, and was
    /// refused: nothing was written.
    #[error("store {operation} arrived after its deadline and was not applied")]
    Late {
        /// The operation, e.g. `insert`.
        operation: &'static str,
    },
}
