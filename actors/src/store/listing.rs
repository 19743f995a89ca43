//! The operators' listing: its filter, and the collection of matches that both backends
//! feed newest first.

use onboard_workflows::{SagaKind, SagaStatus};

use super::{SagaMeta, StoredSaga};

/// Filter of the operators' listing.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only sagas in this status.
    pub status: Option<SagaStatus>,
    /// Only sagas of this kind.
    pub kind: Option<SagaKind>,
    /// Only sagas that are (`true`) or are not (`false`) paused.
    pub paused: Option<bool>,
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
            && self.paused.is_none_or(|paused| paused == meta.paused)
    }
}

/// The sagas a listing keeps from those a backend offers it, newest first, until full.
pub(super) struct Listing<'f> {
    filter: &'f ListFilter,
    found: Vec<StoredSaga>,
}

impl<'f> Listing<'f> {
    /// An empty listing for `filter`.
    pub(super) fn new(filter: &'f ListFilter) -> Listing<'f> {
        Listing {
            filter,
            found: Vec::new(),
        }
    }

    /// Keeps `saga` if it matches; answers whether the listing is now full, so that the
    /// backend stops reading.
    pub(super) fn offer(&mut self, saga: StoredSaga) -> bool {
        if !self.is_full() && self.filter.matches(&saga.meta) {
            self.found.push(saga);
        }
        self.is_full()
    }

    /// Whether the listing holds as many sagas as the filter allows.
    fn is_full(&self) -> bool {
        self.found.len() >= self.filter.effective_limit()
    }

    /// The sagas kept, newest first.
    pub(super) fn into_sagas(self) -> Vec<StoredSaga> {
        self.found
    }
}
