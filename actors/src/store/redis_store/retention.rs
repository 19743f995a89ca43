//! Retention on Redis. Finished sagas are read from each partition's `finished` zset; the
//! idempotency records about them (other slots) are deleted first, one script each, and then the
//! sagas, one script per partition, so that a purge cut short by a crash leaves the saga to the
//! next one rather than a record nobody would find. Lapsed links and revoked virtual accounts are
//! read from the linking slot's `lapsing` and `revoked` zsets. Everything else here carries a Redis
//! expiry.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use futures::future::try_join_all;
use redis::Script;

use super::connection::ScanPosition;
use super::layout::PARTITIONS;
use super::RedisStore;
use crate::store::{meta, Backfill, Purged, RetentionStore, StoreError};

static RETIRED: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("retired.lua")));
static DROP_REPLAY: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("drop_replay.lua")));
static PURGE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("purge.lua")));
static INDEX_FINISHED: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("index_finished.lua")));

/// A saga due for deletion: its partition, id, finish instant and idempotency records.
struct Retired {
    partition: u32,
    id: String,
    finished_at: f64,
    replays: Vec<String>,
}

#[async_trait]
impl RetentionStore for RedisStore {
    async fn purge_finished(
        &self,
        finished_by_ms: i64,
        limit: usize,
    ) -> Result<Purged, StoreError> {
        let due = self.retired(finished_by_ms, limit).await?;
        let drops = due.iter().flat_map(|saga| {
            saga.replays.iter().map(move |record| {
                let mut con = self.con();
                async move {
                    DROP_REPLAY
                        .key(record)
                        .arg(&saga.id)
                        .invoke_async::<u64>(&mut con)
                        .await
                }
            })
        });
        let idempotency = try_join_all(drops).await?.into_iter().sum();
        let mut by_partition: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for saga in &due {
            by_partition
                .entry(saga.partition)
                .or_default()
                .push(&saga.id);
        }
        let purges = by_partition.into_iter().map(|(partition, ids)| {
            let mut con = self.con();
            let mut script = PURGE.prepare_invoke();
            for name in ["finished", "timers", "active", "paused", "all", "leases"] {
                script.key(self.partition_key(partition, name));
            }
            script
                .arg(finished_by_ms)
                .arg(self.partition_key(partition, ""))
                .arg(ids);
            async move { script.invoke_async::<u64>(&mut con).await }
        });
        let sagas = try_join_all(purges).await?.into_iter().sum();
        Ok(Purged {
            sagas,
            idempotency,
            ..Purged::default()
        })
    }

    /// One step of the walk over every saga id: the metas of the ids met, and the
    /// finished ones entered by one script on their partition (a step stays in one).
    async fn backfill_finished(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Backfill, StoreError> {
        let at = ScanPosition::parse(cursor)?;
        let (ids, next) = self.saga_ids(at, limit.max(1)).await?;
        let next = next.map(ScanPosition::to_cursor);
        let reads = ids
            .iter()
            .map(|id| {
                let mut cmd = redis::cmd("HGET");
                cmd.arg(self.saga_keys(id).saga).arg("m");
                cmd
            })
            .collect();
        let metas: Vec<Option<String>> = self.con.each(reads).await?;
        let mut finished = Vec::new();
        for (id, stored) in ids.iter().zip(metas) {
            let Some(stored) = stored else { continue };
            let meta = meta::decode(id, &stored)?;
            if meta.is_finished() {
                finished.push((id.as_str(), meta.updated_at_ms));
            }
        }
        let Some((first, _)) = finished.first() else {
            return Ok(Backfill { indexed: 0, next });
        };
        let partition = self.saga_keys(first).partition;
        let mut script = INDEX_FINISHED.prepare_invoke();
        script
            .key(self.partition_key(partition, "finished"))
            .arg(self.partition_key(partition, ""));
        for (id, at) in &finished {
            script.arg(*id).arg(*at);
        }
        let indexed: u64 = script.invoke_async(&mut self.con()).await?;
        Ok(Backfill { indexed, next })
    }

    async fn purge_lapsed_links(&self, lapsed_by_ms: i64, limit: usize) -> Result<u64, StoreError> {
        self.delete_lapsed_links(lapsed_by_ms, limit).await
    }

    async fn forget_revoked_accounts(
        &self,
        revoked_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError> {
        self.forget_revoked(revoked_by_ms, limit).await
    }

    async fn purge_expired(&self, _limit: usize) -> Result<Purged, StoreError> {
        Ok(Purged::default())
    }
}

impl RedisStore {
    /// The `limit` sagas that finished first, at or before `finished_by_ms`, over every
    /// partition.
    async fn retired(&self, finished_by_ms: i64, limit: usize) -> Result<Vec<Retired>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let reads = (0..PARTITIONS).map(|partition| {
            let mut con = self.con();
            let finished = self.partition_key(partition, "finished");
            let prefix = self.partition_key(partition, "");
            async move {
                let found: Vec<(String, f64, Vec<String>)> = RETIRED
                    .key(finished)
                    .arg(finished_by_ms)
                    .arg(limit)
                    .arg(prefix)
                    .invoke_async(&mut con)
                    .await?;
                Ok::<_, redis::RedisError>((partition, found))
            }
        });
        let mut due: Vec<Retired> = try_join_all(reads)
            .await?
            .into_iter()
            .flat_map(|(partition, found)| {
                found
                    .into_iter()
                    .map(move |(id, finished_at, replays)| Retired {
                        partition,
                        id,
                        finished_at,
                        replays,
                    })
            })
            .collect();
        due.sort_by(|a, b| {
            a.finished_at
                .total_cmp(&b.finished_at)
                .then(a.id.cmp(&b.id))
        });
        due.truncate(limit);
        Ok(due)
    }
}
