//! Why configuration could not be loaded.

use std::path::PathBuf;

/// A configuration that cannot be used; the process must not start with it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A layer could not be read or parsed.
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    /// A value is present but unusable.
    #[error("configuration value {key}: {reason}")]
    Invalid {
        /// The dotted key, e.g. `security.data_keys`.
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The callers file (`ONBOARD_CALLERS_FILE`) is missing, unreadable or invalid.
    #[error("callers file {}: {reason}", path.display())]
    CallersFile {
        /// The file as given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}
