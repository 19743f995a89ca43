//! Durable saga storage: the interface the runtime codes against, and its two backends.
//!
//! Every transition of a saga is one atomic write of (state, journal entry, timer change,
//! active-set membership) guarded by a version check, so two writers can never both
//! advance the same saga and a crash never leaves half a transition behind.

mod embedded;
mod error;
mod redis_store;
mod timed;

pub use embedded::EmbeddedStore;
pub use error::StoreError;
pub use redis_store::{RedisStore, RedisTarget};
pub use timed::TimedStore;

use async_trait::async_trait;
use onboard_workflows::{SagaKind, SagaStatus};
use serde::{Deserialize, Serialize};

/// The clear-text facts about a saga that the store needs for listing and recovery.
/// Never holds personal data: that lives only inside the sealed `state` bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SagaMeta {
    /// Which saga definition drives it.
    pub kind: SagaKind,
    /// Its status after this transition.
    pub status: SagaStatus,
    /// The caller (bank id, wallet id …) that owns it; other callers never see it.
    pub owner: String,
    /// Creation time, Unix milliseconds.
    pub created_at_ms: i64,
    /// Time of this transition, Unix milliseconds.
    pub updated_at_ms: i64,
}

/// A saga as read back from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSaga {
    /// The workflow id.
    pub id: String,
    /// Incremented by every transition; the next commit must name it as `expected_version`.
    pub version: u64,
    /// Clear-text metadata.
    pub meta: SagaMeta,
    /// The sealed (encrypted) saga state, opaque to the store.
    pub state: Vec<u8>,
}

/// What a transition does to the saga's durable timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimerChange {
    /// Leave any existing timer as it is.
    Keep,
    /// (Re)arm the timer to fire at this Unix-millisecond instant.
    Set(i64),
    /// Remove the timer.
    Clear,
}

/// The first write of a saga.
#[derive(Debug, Clone)]
pub struct NewSaga {
    /// The workflow id; creating an id that exists changes nothing.
    pub id: String,
    /// Clear-text metadata.
    pub meta: SagaMeta,
    /// Sealed state.
    pub state: Vec<u8>,
    /// First journal entry (opaque bytes, never personal data).
    pub journal_entry: Vec<u8>,
    /// Timer to arm with the saga, if any.
    pub timer: TimerChange,
}

/// One atomic step of a saga's life.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The workflow id.
    pub id: String,
    /// The version this writer read; the commit is refused if the stored one differs.
    pub expected_version: u64,
    /// Clear-text metadata after the transition.
    pub meta: SagaMeta,
    /// Sealed state after the transition.
    pub state: Vec<u8>,
    /// Journal entry describing the transition (opaque bytes, never personal data).
    pub journal_entry: Vec<u8>,
    /// Timer change made by the transition.
    pub timer: TimerChange,
}

/// Whether `insert` created the saga.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// The saga is new and stored with version 1.
    Inserted,
    /// A saga with that id already existed; nothing was written.
    AlreadyExists,
}

/// A timer whose instant has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTimer {
    /// The saga it belongs to.
    pub saga_id: String,
    /// The instant it was armed for, Unix milliseconds.
    pub at_ms: i64,
}

/// Filter of the operators' listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only sagas in this status.
    pub status: Option<SagaStatus>,
    /// Only sagas of this kind.
    pub kind: Option<SagaKind>,
    /// At most this many, newest first; 0 means [`ListFilter::DEFAULT_LIMIT`].
    pub limit: usize,
}

impl ListFilter {
    /// What a limit of 0 means: a screenful, so that a forgotten limit never reads everything.
    pub const DEFAULT_LIMIT: usize = 100;

    /// The number of sagas the listing returns at most.
    pub fn effective_limit(&self) -> usize {
        if self.limit == 0 {
            Self::DEFAULT_LIMIT
        } else {
            self.limit
        }
    }

    /// Whether a saga with `meta` belongs in the listing.
    pub fn matches(&self, meta: &SagaMeta) -> bool {
        self.status.is_none_or(|status| status == meta.status)
            && self.kind.is_none_or(|kind| kind == meta.kind)
    }
}

/// The state of an API idempotency key when a request claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// Nobody used the key before: the caller now owns it and must complete or release it.
    Claimed,
    /// Another request with this key is still being processed.
    InFlight {
        /// Fingerprint of that request's body.
        fingerprint: Vec<u8>,
    },
    /// A request with this key finished; its response is to be replayed.
    Completed {
        /// Fingerprint of that request's body.
        fingerprint: Vec<u8>,
        /// The stored response, opaque to the store.
        response: Vec<u8>,
    },
}

/// The durable store of sagas, timers, secondary indexes and API idempotency records.
#[async_trait]
pub trait SagaStore: Send + Sync + 'static {
    /// Stores a new saga with version 1, its active-set membership following `meta.status`.
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError>;

    /// Reads a saga, or `None` when it does not exist.
    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError>;

    /// Applies a transition atomically: state, meta, journal entry, timer change and
    /// active-set membership (member iff `meta.status.needs_driving()`), bumping the version.
    /// Refuses with [`StoreError::VersionConflict`] when the stored version is not
    /// `expected_version`, and with [`StoreError::NotFound`] when the saga does not exist.
    async fn commit(&self, transition: &Transition) -> Result<(), StoreError>;

    /// The journal of a saga, oldest entry first.
    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Timers armed for an instant at or before `now_ms`, earliest first, at most `limit`.
    async fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<DueTimer>, StoreError>;

    /// Ids of sagas that need driving (status running or compensating): what a restarted
    /// runtime must resume.
    async fn active(&self) -> Result<Vec<String>, StoreError>;

    /// How many sagas have an armed timer. The runtime arms one exactly while a saga waits
    /// on a person (its deadline), so this counts the parked sagas, which hold no actor.
    async fn armed_timers(&self) -> Result<u64, StoreError>;

    /// Sagas matching the filter, newest first.
    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError>;

    /// Adds `member` to the secondary index `index` (a set).
    async fn index_add(&self, index: &str, member: &str) -> Result<(), StoreError>;

    /// Removes `member` from the secondary index `index`.
    async fn index_remove(&self, index: &str, member: &str) -> Result<(), StoreError>;

    /// Members of the secondary index `index`.
    async fn index_members(&self, index: &str) -> Result<Vec<String>, StoreError>;

    /// Claims an API idempotency key, or reports who holds it. A claim lapses after
    /// `in_flight_ttl_ms` so that a crashed request does not block the key forever.
    async fn idempotency_claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError>;

    /// Records the response of a claimed key, kept for `ttl_ms`.
    async fn idempotency_complete(
        &self,
        key: &str,
        fingerprint: &[u8],
        response: &[u8],
        ttl_ms: u64,
    ) -> Result<(), StoreError>;

    /// Gives a claimed key back (the request failed and changed nothing).
    async fn idempotency_release(&self, key: &str) -> Result<(), StoreError>;

    /// Counts one more attempt against `key` in a fixed window of `window_ms` that the
    /// first attempt opens, and answers the count in the current window. Used to limit
    /// repeated failures (e.g. real-name mismatches) durably and across replicas.
    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError>;

    /// The attempts counted against `key` in its current window (0 once it lapsed).
    async fn attempts(&self, key: &str) -> Result<u64, StoreError>;

    /// Answers while the store is reachable; readiness follows it.
    async fn ping(&self) -> Result<(), StoreError>;
}
