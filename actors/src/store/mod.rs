//! Durable storage: one small interface per concern, two backends implementing each.
//!
//! The concerns are [`SagaStore`] (sagas, their journal, timers, active set and listing),
//! [`IndexStore`] (reading the secondary indexes that saga writes keep),
//! [`IdempotencyStore`] (API idempotency records), [`AttemptStore`] (attempt
//! counters), [`LeaseStore`] (which replica drives a saga), [`TicketStore`] (accounts
//! and ticket families), [`PairingStore`] (live pairing codes, indexed by place),
//! [`LinkStore`] (account links and virtual service accounts), [`KeyPinStore`]
//! (fingerprints of keys that must not change silently), [`RetentionStore`] (deleting what
//! outlived its time) and [`SealedStore`] (the sealed values, for a key rotation). A caller
//! holds only the ones it uses; [`Stores`] hands them out.
//!
//! Every transition of a saga is one atomic write of (state, journal entry, timer change,
//! active-set membership, index changes) guarded by a version check, so two writers can
//! never both advance the same saga and a crash never leaves half a transition behind.

mod attempts;
mod clock;
mod embedded;
mod error;
mod geo_cells;
mod idempotency;
mod indexes;
mod key_pins;
mod leases;
mod links;
mod listing;
mod meta;
mod pairing;
mod redis_store;
mod retention;
mod sagas;
mod sealed;
mod stores;
mod tickets;
mod timed;

pub use attempts::AttemptStore;
pub use embedded::EmbeddedStore;
pub use error::StoreError;
pub use idempotency::{Completion, IdempotencyClaim, IdempotencyStore};
pub use indexes::{IndexChanges, IndexKey, IndexMember, IndexStore};
pub use key_pins::KeyPinStore;
pub use leases::{LeaseStore, Writer};
pub use links::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoredLink,
    StoredVirtualAccount,
};
pub use listing::ListFilter;
pub use meta::{CallError, Retrying, SagaMeta};
pub use pairing::{Claimed, CodeClaim, CodeIssue, Issued, PairingStore};
pub use redis_store::{RedisStore, RedisTarget};
pub use retention::{Backfill, Purged, RetentionStore};
pub use sagas::{DueTimer, InsertOutcome, NewSaga, SagaStore, StoredSaga, TimerChange, Transition};
pub use sealed::{SealedKind, SealedPage, SealedStore, SealedValue};
pub use stores::Stores;
pub use tickets::{
    AccountCreated, Authorization, FamilyId, FamilyKeys, LockoutPolicy, LoginState, NewAccount,
    Rotation, StoredAccount, TicketStore,
};
pub use timed::TimedStore;
