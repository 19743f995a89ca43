//! Why configuration could not be loaded.

/// A configuration that cannot be used; the process must not start with it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A layer could not be read or parsed.
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    /// A value is present but unusable.
    #[error("configuration value {key}: {reason}")]
    Invalid {
        /// The dotted key, e.g. `security.sealing_key`.
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}
