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
