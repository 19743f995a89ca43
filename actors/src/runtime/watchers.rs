//! Wake-ups for `?wait=` readers: every commit publishes the saga's new view to the readers
//! of that saga, so a client learns of a change without polling and without a store read.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use onboard_workflows::domain::WorkflowId;
use tokio::sync::watch;

use super::view::SagaView;

/// The readers waiting for a change of each saga.
#[derive(Debug, Default)]
pub(crate) struct Watchers {
    by_saga: Mutex<HashMap<WorkflowId, watch::Sender<Option<SagaView>>>>,
}

impl Watchers {
    /// A receiver of the saga's views from now on; subscribe before reading the saga so
    /// that a change in between is not missed.
    pub fn subscribe(&self, id: &WorkflowId) -> watch::Receiver<Option<SagaView>> {
        let mut map = self.by_saga.lock().unwrap_or_else(PoisonError::into_inner);
        map.entry(id.to_owned())
            .or_insert_with(|| watch::channel(None).0)
            .subscribe()
    }

    /// Forgets a reader; the saga's entry goes with its last reader, so sagas read with
    /// `?wait=` and then parked leave nothing behind.
    pub fn unsubscribe(&self, id: &WorkflowId, receiver: watch::Receiver<Option<SagaView>>) {
        drop(receiver);
        let mut map = self.by_saga.lock().unwrap_or_else(PoisonError::into_inner);
        if map
            .get(id)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            map.remove(id);
        }
    }

    /// Publishes a saga's new view to its readers; `view` is only built when someone reads.
    pub fn publish(&self, id: &WorkflowId, view: impl FnOnce() -> SagaView) {
        let map = self.by_saga.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = map.get(id) {
            sender.send_replace(Some(view()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saga() -> WorkflowId {
        WorkflowId::parse("wf_00000000000000000000000000000001").unwrap()
    }

    #[test]
    fn the_last_reader_leaves_no_entry_behind() {
        let watchers = Watchers::default();
        let first = watchers.subscribe(&saga());
        let second = watchers.subscribe(&saga());
        watchers.unsubscribe(&saga(), first);
        assert_eq!(watchers.by_saga.lock().unwrap().len(), 1);
        watchers.unsubscribe(&saga(), second);
        assert!(watchers.by_saga.lock().unwrap().is_empty());
    }

    #[test]
    fn nothing_is_built_for_a_saga_nobody_reads() {
        let watchers = Watchers::default();
        watchers.publish(&saga(), || panic!("no reader, no view"));
    }
}
