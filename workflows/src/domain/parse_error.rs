//! Why a value was rejected at the edge.

/// A value that does not parse into its domain type. The message never repeats the input,
/// because the input may be personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ParseError {
    /// The API field the value came from, so the client knows what to fix.
    pub field: &'static str,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl ParseError {
    /// A rejection of `field` for `reason`.
    pub fn new(field: &'static str, reason: &'static str) -> Self {
        Self { field, reason }
    }
}
