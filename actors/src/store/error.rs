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
    /// The saga does not exist.
    #[error("saga {0} not found")]
    NotFound(String),
    /// The Redis backend failed.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// The embedded backend failed.
    #[error("embedded store: {0}")]
    Embedded(String),
    /// A stored value could not be decoded.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}
