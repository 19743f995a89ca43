//! The saga store on Redis: writes through the scripts of [`super::writes`], reads as
//! plain commands, one per partition in one pipeline where a read spans partitions.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::future::try_join_all;
use redis::Script;

use super::layout::PARTITIONS;
use super::{list, RedisStore};
use crate::store::{
    meta, DueTimer, InsertOutcome, ListFilter, NewSaga, SagaStore, StoreError, StoredSaga,
    Transition,
};

static CLAIM_TIMERS: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("claim_timers.lua")));

/// The fields of a saga hash as HMGET v m s returns them.
pub(super) type SagaFields = (Option<u64>, Option<String>, Option<Vec<u8>>);

impl RedisStore {
    /// The read whose reply [`decode_saga`] expects.
    pub(super) fn load_cmd(&self, id: &str) -> redis::Cmd {
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(self.saga_keys(id).saga).arg(&["v", "m", "s"]);
        cmd
    }
}

/// Turns the fields of a saga hash into a saga; a hash without version does not exist.
pub(super) fn decode_saga(
    id: &str,
    (version, meta, state): SagaFields,
) -> Result<Option<StoredSaga>, StoreError> {
    let Some(version) = version else {
        return Ok(None);
    };
    let meta = meta.ok_or_else(|| StoreError::Corrupt(format!("saga {id} has no meta")))?;
    Ok(Some(StoredSaga {
        id: id.to_owned(),
        version,
        meta: meta::decode(id, &meta)?,
        state: state.unwrap_or_default(),
    }))
}

#[async_trait]
impl SagaStore for RedisStore {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        self.insert_saga(saga).await
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        let fields: SagaFields = self.load_cmd(id).query_async(&mut self.con()).await?;
        decode_saga(id, fields)
    }

    async fn commit(&self, transition: &Transition) -> Result<Option<u64>, StoreError> {
        self.commit_transition(transition).await
    }

    async fn journal(&self, id: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        let entries = redis::cmd("LRANGE")
            .arg(self.saga_keys(id).journal)
            .arg(0)
            .arg(-1)
            .query_async(&mut self.con())
            .await?;
        Ok(entries)
    }

    async fn claim_due_timers(
        &self,
        now_ms: i64,
        limit: usize,
        hold_until_ms: i64,
    ) -> Result<Vec<DueTimer>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let claims = (0..PARTITIONS).map(|partition| {
            let mut con = self.con();
            let timers = self.partition_key(partition, "timers");
            async move {
                CLAIM_TIMERS
                    .key(timers)
                    .arg(now_ms)
                    .arg(limit)
                    .arg(hold_until_ms)
                    .invoke_async::<Vec<(String, f64)>>(&mut con)
                    .await
            }
        });
        let per_partition = try_join_all(claims).await?;
        let mut due: Vec<DueTimer> = per_partition
            .into_iter()
            .flatten()
            // Scores are whole milliseconds, far below 2^53, so the cast is exact.
            .map(|(saga_id, at)| DueTimer {
                saga_id,
                at_ms: at as i64,
            })
            .collect();
        due.sort_by(|a, b| (a.at_ms, &a.saga_id).cmp(&(b.at_ms, &b.saga_id)));
        Ok(due)
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        let per_partition: Vec<Vec<String>> = self
            .con
            .each(self.per_partition("SMEMBERS", "active"))
            .await?;
        let mut ids: Vec<String> = per_partition.into_iter().flatten().collect();
        ids.sort();
        Ok(ids)
    }

    async fn paused(&self) -> Result<u64, StoreError> {
        let per_partition: Vec<u64> = self.con.each(self.per_partition("SCARD", "paused")).await?;
        Ok(per_partition.into_iter().sum())
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        let per_partition: Vec<u64> = self.con.each(self.per_partition("ZCARD", "timers")).await?;
        Ok(per_partition.into_iter().sum())
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        list::list(self, filter).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.con())
            .await?;
        Ok(())
    }
}
