//! The saga store: each saga's state, journal and timer, the partition-wide active set and
//! listing, written one atomic transition at a time.

use async_trait::async_trait;

use super::{IndexChanges, IndexKey, ListFilter, SagaMeta, StoreError, Writer};

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
    /// Index rows the saga starts in, each pointing at it.
    pub index: Vec<IndexKey>,
    /// The creating replica, which holds the lease (token 1) when the saga needs driving.
    pub writer: Writer,
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
    /// Index rows the transition adds (pointing at the saga) and drops.
    pub index: IndexChanges,
    /// Who writes it, and on what lease.
    pub writer: Writer,
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

/// The durable store of sagas: what the runtime writes at every transition and reads to
/// resume, fire timers and list.
#[async_trait]
pub trait SagaStore: Send + Sync + 'static {
    /// Stores a new saga with version 1, its active-set membership following `meta.status`
    /// and its index rows, all in one atomic write.
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError>;

    /// Reads a saga, or `None` when it does not exist.
    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError>;

    /// Applies a transition atomically: state, meta, journal entry, timer change,
    /// active-set membership (member iff [`SagaMeta::needs_driving`]), index changes and
    /// the writer's lease (see [`crate::store::LeaseStore`]), bumping the version. Answers
    /// the writer's fencing token when it holds the saga's lease afterwards. Refuses with
    /// [`StoreError::VersionConflict`] when the stored version is not `expected_version`,
    /// with [`StoreError::LeaseLost`] when a drive commit's lease is no longer the
    /// writer's, and with [`StoreError::NotFound`] when the saga does not exist; a refused
    /// transition writes nothing.
    async fn commit(&self, transition: &Transition) -> Result<Option<u64>, StoreError>;

    /// The journal of a saga, oldest entry first.
    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Claims the timers armed for an instant at or before `now_ms`, earliest first, at
    /// most `limit` from each of the backend's partitions: each is pushed to
    /// `hold_until_ms`, so that no other replica delivers it meanwhile, and fires again
    /// then if its delivery never committed. Every timer claimed is answered.
    async fn claim_due_timers(
        &self,
        now_ms: i64,
        limit: usize,
        hold_until_ms: i64,
    ) -> Result<Vec<DueTimer>, StoreError>;

    /// Ids of sagas that need driving (status running or compensating): what a restarted
    /// runtime must resume.
    async fn active(&self) -> Result<Vec<String>, StoreError>;

    /// How many sagas wait for an operator's resume or cancel ([`SagaMeta::is_paused`]).
    async fn paused(&self) -> Result<u64, StoreError>;

    /// How many sagas have an armed timer. The runtime arms one exactly while a saga waits
    /// on a person (its deadline), so this counts the parked sagas, which hold no actor.
    async fn armed_timers(&self) -> Result<u64, StoreError>;

    /// Sagas matching the filter, newest first.
    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError>;

    /// Answers while the store is reachable. Readiness follows the saga store, as the
    /// runtime can serve nothing without it.
    async fn ping(&self) -> Result<(), StoreError>;
}
