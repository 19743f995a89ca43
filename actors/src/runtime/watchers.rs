//! Wake-ups for `?wait=` readers: every commit notifies the readers of that saga, so a
//! client learns of a change without polling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

/// The readers waiting for a change of each saga.
#[derive(Debug, Default)]
pub(crate) struct Watchers {
    by_saga: Mutex<HashMap<String, Arc<Notify>>>,
}

impl Watchers {
    /// The notifier of a saga; a reader must create its `notified()` future before it
    /// reads the saga so that a change in between is not missed.
    pub fn subscribe(&self, id: &str) -> Arc<Notify> {
        let mut map = self.by_saga.lock().unwrap_or_else(PoisonError::into_inner);
        map.entry(id.to_owned()).or_default().clone()
    }

    /// Drops a reader's notifier once no other reader holds it, so that sagas read with
    /// `?wait=` and then parked leave nothing behind.
    pub fn unsubscribe(&self, id: &str, notify: Arc<Notify>) {
        let mut map = self.by_saga.lock().unwrap_or_else(PoisonError::into_inner);
        let last_reader = map
            .get(id)
            .is_some_and(|held| Arc::ptr_eq(held, &notify) && Arc::strong_count(&notify) == 2);
        if last_reader {
            map.remove(id);
        }
    }

    /// Wakes every reader of a saga.
    pub fn notify(&self, id: &str) {
        let notify = self
            .by_saga
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_reader_leaves_no_entry_behind() {
        let watchers = Watchers::default();
        let first = watchers.subscribe("wf_1");
        let second = watchers.subscribe("wf_1");
        watchers.unsubscribe("wf_1", first);
        assert_eq!(watchers.by_saga.lock().unwrap().len(), 1);
        watchers.unsubscribe("wf_1", second);
        assert!(watchers.by_saga.lock().unwrap().is_empty());
    }
}
