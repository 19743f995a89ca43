//! Leases with fencing: a replica drives a saga only while it holds the saga's lease.
//!
//! A lease (owner, fencing token, expiry) lives beside the saga, under its hash tag, and
//! expiries are read on the store's clock, never a replica's. Every write of a saga names
//! its [`Writer`]: a replica's drive commits carry their fencing token and are refused
//! once the lease lapsed or passed to another replica; events any replica may apply (a
//! signal, a deadline, an operator's action) are checked by version alone. A commit that
//! leaves the saga with work to do gives the writer the lease if no other replica holds a
//! live one; a commit that leaves it without work releases the writer's lease.

use std::sync::Arc;

use async_trait::async_trait;

use super::StoreError;

/// Who writes a saga, and on what lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// The replica (`--replica-id`).
    pub replica: Arc<str>,
    /// The fencing token of the lease a drive commit is made under; `None` for an event
    /// that any replica may apply.
    pub fence: Option<u64>,
    /// How long a lease taken or kept by this write lasts, in milliseconds.
    pub ttl_ms: u64,
}

/// The leases of sagas, besides what every saga write does to them.
#[async_trait]
pub trait LeaseStore: Send + Sync + 'static {
    /// Takes the lease of saga `id` for `replica` when it is free, expired or already
    /// the replica's: its fencing token. `None` when another replica holds a live lease
    /// or the saga does not exist.
    async fn acquire(
        &self,
        id: &str,
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Option<u64>, StoreError>;

    /// Extends the leases `held` (saga id, token) by `ttl_ms`; answers the ids whose
    /// lease was lost (expired and taken, or released).
    async fn renew(
        &self,
        held: &[(String, u64)],
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Vec<String>, StoreError>;

    /// Gives up a lease, so that another replica may take the saga over at once.
    async fn release(&self, id: &str, replica: &str, token: u64) -> Result<(), StoreError>;

    /// Sagas that need driving but whose lease is free or expired: what a sweep takes
    /// over (after a replica died, or a kick was lost).
    async fn orphans(&self) -> Result<Vec<String>, StoreError>;
}
