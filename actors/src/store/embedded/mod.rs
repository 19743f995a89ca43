//! The default backend: a single redb file, so a lone instance needs no server and still
//! keeps every saga across restarts, crashes and power loss. It serves one process only:
//! that process holds every lease, so leases here cost nothing and fence nothing.

mod attempts;
mod idempotency;
mod indexes;
mod key_pins;
mod lapsing_links;
mod leases;
mod links;
mod pairing;
mod replays;
mod retention;
mod revoked_accounts;
mod saga_writes;
mod sagas;
mod sealed;
mod tables;
mod tickets;

use std::path::Path;
use std::sync::{Arc, Mutex};

use redb::Database;
use tokio::sync::oneshot;

use self::retention::ExpiryCursors;
use super::StoreError;

/// The fencing token of every lease on the embedded store: its one process holds them all.
const SOLE_LEASE: u64 = 1;

/// The stores in one local file: for single-instance deployments and development.
/// Clones share the open database.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
    /// Where each table's sweep for expired rows goes on, so that bounded sweeps walk the
    /// whole table in turn.
    expiry: Arc<Mutex<ExpiryCursors>>,
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating the file (and its directory) on first use.
    pub fn open(path: &Path) -> Result<EmbeddedStore, StoreError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Embedded(format!("creating directory {}: {e}", dir.display()))
            })?;
        }
        let db = Database::create(path).map_err(|error| match error {
            redb::DatabaseError::DatabaseAlreadyOpen => {
                StoreError::InUse(path.display().to_string())
            }
            other => StoreError::Embedded(other.to_string()),
        })?;
        tables::create_all(&db)?;
        Ok(EmbeddedStore {
            db: Arc::new(db),
            expiry: Arc::default(),
        })
    }

    /// Runs blocking redb work off the async executor. Work whose caller stopped waiting
    /// before it started (its future was dropped, e.g. on a timeout) is skipped: a
    /// blocking task cannot be cancelled, and it must not act later for a caller that was
    /// already answered with an error.
    async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        let db = Arc::clone(&self.db);
        let (answer, answered) = oneshot::channel();
        tokio::task::spawn_blocking(move || {
            if !answer.is_closed() {
                let result = work(&db);
                // Let go of the database before answering, so that a caller that drops
                // the store next can reopen its file at once.
                drop(db);
                let _ = answer.send(result);
            }
        });
        answered
            .await
            .map_err(|_| StoreError::Embedded("store task failed".to_owned()))?
    }
}
