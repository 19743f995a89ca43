//! The default backend: a single redb file, so a lone instance needs no server and still
//! keeps every saga across restarts, crashes and power loss.

mod keyed;
mod sagas;
mod tables;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use redb::Database;
use tokio::sync::oneshot;

use self::tables::OrEmbedded;
use super::{
    DueTimer, IdempotencyClaim, InsertOutcome, ListFilter, NewSaga, SagaStore, StoreError,
    StoredSaga, Transition,
};

/// Saga store in one local file: for single-instance deployments and development.
/// Clones share the open database.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Database>,
}

impl EmbeddedStore {
    /// Opens the store at `path`, creating the file (and its directory) on first use.
    pub fn open(path: &Path) -> Result<EmbeddedStore, StoreError> {
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Embedded(format!("creating directory {}: {e}", dir.display()))
            })?;
        }
        let db = Database::create(path).embedded()?;
        tables::create_all(&db)?;
        Ok(EmbeddedStore { db: Arc::new(db) })
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

#[async_trait]
impl SagaStore for EmbeddedStore {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        let saga = saga.clone();
        self.run(move |db| sagas::insert(db, &saga)).await
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| sagas::load(db, &id)).await
    }

    async fn commit(&self, transition: &Transition) -> Result<(), StoreError> {
        let transition = transition.clone();
        self.run(move |db| sagas::commit(db, &transition)).await
    }

    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| sagas::journal(db, &id)).await
    }

    async fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<DueTimer>, StoreError> {
        self.run(move |db| sagas::due_timers(db, now_ms, limit))
            .await
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        self.run(sagas::active).await
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        self.run(sagas::armed_timers).await
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        let filter = filter.clone();
        self.run(move |db| sagas::list(db, &filter)).await
    }

    async fn index_add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        let (index, member) = (index.to_owned(), member.to_owned());
        self.run(move |db| keyed::index_add(db, &index, &member))
            .await
    }

    async fn index_remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        let (index, member) = (index.to_owned(), member.to_owned());
        self.run(move |db| keyed::index_remove(db, &index, &member))
            .await
    }

    async fn index_members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        let index = index.to_owned();
        self.run(move |db| keyed::index_members(db, &index)).await
    }

    async fn idempotency_claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        let (key, fingerprint) = (key.to_owned(), fingerprint.to_vec());
        self.run(move |db| keyed::claim(db, &key, &fingerprint, in_flight_ttl_ms))
            .await
    }

    async fn idempotency_complete(
        &self,
        key: &str,
        fingerprint: &[u8],
        response: &[u8],
        ttl_ms: u64,
    ) -> Result<(), StoreError> {
        let (key, fingerprint, response) =
            (key.to_owned(), fingerprint.to_vec(), response.to_vec());
        self.run(move |db| keyed::complete(db, &key, &fingerprint, &response, ttl_ms))
            .await
    }

    async fn idempotency_release(&self, key: &str) -> Result<(), StoreError> {
        let key = key.to_owned();
        self.run(move |db| keyed::release(db, &key)).await
    }

    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        let key = key.to_owned();
        self.run(move |db| keyed::count_attempt(db, &key, window_ms))
            .await
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        let key = key.to_owned();
        self.run(move |db| keyed::attempts(db, &key)).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        // The file is local and open: reachable as long as a read transaction starts.
        self.run(|db| db.begin_read().embedded().map(drop)).await
    }
}
