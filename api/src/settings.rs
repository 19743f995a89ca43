//! Settings the request handlers need, taken from the configuration once at start.

/// Parameters of new sagas.
#[derive(Debug, Clone)]
pub struct SagaParams {
    /// How long a security prompt stays open.
    pub security_prompt_ttl_secs: i64,
    /// How long a credit application waits for a savings card.
    pub savings_binding_ttl_secs: i64,
}
