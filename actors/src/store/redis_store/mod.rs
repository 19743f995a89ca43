//! The production backend: Redis, with a key layout that is ready for Redis Cluster.
//!
//! Every saga lives in one of [`PARTITIONS`] partitions. All keys of a saga and the
//! timer, active and listing keys of its partition share one hash tag (`{pNN}`), so the
//! Lua scripts that write a transition touch a single Cluster slot and stay atomic.
//!
//! The scripts that write for a caller (insert, commit, idempotency claim) carry the
//! instant at which that caller stops waiting, and refuse to apply after it: a command
//! that reaches Redis late (held in a socket during a network outage, or behind a paused
//! server) must not act for a request that was already answered with an error.

mod idempotency;
mod layout;
mod list;
mod target;

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{AsyncConnectionConfig, ErrorKind, RedisError, Script};

use self::layout::PARTITIONS;
pub use self::target::RedisTarget;
use super::{
    DueTimer, IdempotencyClaim, InsertOutcome, ListFilter, NewSaga, SagaMeta, SagaStore,
    StoreError, StoredSaga, TimerChange, Transition,
};

/// The longest pause between two reconnection attempts, so that the store is used again
/// within about a second of coming back.
const RECONNECT_MAX_DELAY_MS: u64 = 1_000;

/// Code of a write script that arrived after its apply-by instant.
const LATE: i64 = -1;

static INSERT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("insert.lua")
    ))
});
static COMMIT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("commit.lua")
    ))
});

/// Saga store on Redis: the backend for production, shared by every replica of the service.
#[derive(Clone)]
pub struct RedisStore {
    con: ConnectionManager,
    prefix: Arc<str>,
    /// How long a caller waits for one operation: bounds each connection attempt and
    /// reply, and is the window in which a write may still apply.
    timeout: Duration,
}

impl RedisStore {
    /// Connects to Redis at `url`, namespacing every key under `key_prefix` so several
    /// deployments (or test runs) can share one server. `timeout` is the time a caller
    /// waits for one operation (see [`crate::store::TimedStore`]): a connection attempt or
    /// reply that takes longer fails, and a write that arrives later is refused.
    pub async fn connect(
        url: &str,
        key_prefix: &str,
        timeout: Duration,
    ) -> Result<RedisStore, StoreError> {
        if key_prefix.contains(['{', '}']) {
            return Err(StoreError::Redis(RedisError::from((
                ErrorKind::InvalidClientConfig,
                "the key prefix must not contain braces: they would break the hash tags",
            ))));
        }
        let client = redis::Client::open(url)?;
        // One plain attempt first: the manager below retries internally, which would
        // report a refused connection or a wrong password as a mere time-out.
        let probe = AsyncConnectionConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout);
        drop(
            client
                .get_multiplexed_async_connection_with_config(&probe)
                .await?,
        );
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(timeout)
            .set_response_timeout(timeout)
            .set_max_delay(RECONNECT_MAX_DELAY_MS);
        let con = ConnectionManager::new_with_config(client, config).await?;
        Ok(RedisStore {
            con,
            prefix: Arc::from(key_prefix),
            timeout,
        })
    }

    /// A connection handle; clones share one multiplexed connection.
    fn con(&self) -> ConnectionManager {
        self.con.clone()
    }

    /// The instant (Unix ms) after which a write sent now must no longer apply: when its
    /// caller stops waiting for it.
    fn apply_by_ms(&self) -> i64 {
        let window = i64::try_from(self.timeout.as_millis()).unwrap_or(i64::MAX);
        Utc::now().timestamp_millis().saturating_add(window)
    }

    /// The read whose reply [`decode_saga`] expects.
    fn load_cmd(&self, id: &str) -> redis::Cmd {
        let mut cmd = redis::cmd("HMGET");
        cmd.arg(self.saga_keys(id).saga).arg(&["v", "m", "s"]);
        cmd
    }
}

/// The timer operation and instant the Lua scripts understand.
fn timer_args(timer: TimerChange) -> (&'static str, i64) {
    match timer {
        TimerChange::Keep => ("keep", 0),
        TimerChange::Set(at_ms) => ("set", at_ms),
        TimerChange::Clear => ("clear", 0),
    }
}

/// Active-set membership, decided here so that the scripts never encode which statuses
/// need driving.
fn active_flag(meta: &SagaMeta) -> &'static str {
    if meta.status.needs_driving() {
        "1"
    } else {
        "0"
    }
}

fn encode_meta(meta: &SagaMeta) -> Result<String, StoreError> {
    serde_json::to_string(meta).map_err(|e| StoreError::Corrupt(format!("saga meta: {e}")))
}

/// The fields of a saga hash as HMGET v m s returns them.
type SagaFields = (Option<u64>, Option<String>, Option<Vec<u8>>);

/// Turns the fields of a saga hash into a saga; a hash without version does not exist.
fn decode_saga(
    id: &str,
    (version, meta, state): SagaFields,
) -> Result<Option<StoredSaga>, StoreError> {
    let Some(version) = version else {
        return Ok(None);
    };
    let meta = meta.ok_or_else(|| StoreError::Corrupt(format!("saga {id} has no meta")))?;
    let meta = serde_json::from_str(&meta)
        .map_err(|e| StoreError::Corrupt(format!("meta of saga {id}: {e}")))?;
    Ok(Some(StoredSaga {
        id: id.to_owned(),
        version,
        meta,
        state: state.unwrap_or_default(),
    }))
}

fn unexpected_code(script: &str, code: i64) -> StoreError {
    StoreError::Corrupt(format!(
        "the {script} script returned the unknown code {code}"
    ))
}

#[async_trait]
impl SagaStore for RedisStore {
    async fn insert(&self, saga: &NewSaga) -> Result<InsertOutcome, StoreError> {
        let keys = self.saga_keys(&saga.id);
        let (timer_op, timer_at) = timer_args(saga.timer);
        let code: i64 = INSERT
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .key(&keys.all)
            .arg(&saga.id)
            .arg(encode_meta(&saga.meta)?)
            .arg(saga.state.as_slice())
            .arg(saga.journal_entry.as_slice())
            .arg(timer_op)
            .arg(timer_at)
            .arg(active_flag(&saga.meta))
            .arg(saga.meta.created_at_ms)
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "insert",
            }),
            0 => Ok(InsertOutcome::AlreadyExists),
            1 => Ok(InsertOutcome::Inserted),
            other => Err(unexpected_code("insert", other)),
        }
    }

    async fn load(&self, id: &str) -> Result<Option<StoredSaga>, StoreError> {
        let fields: SagaFields = self.load_cmd(id).query_async(&mut self.con()).await?;
        decode_saga(id, fields)
    }

    async fn commit(&self, transition: &Transition) -> Result<(), StoreError> {
        let keys = self.saga_keys(&transition.id);
        let (timer_op, timer_at) = timer_args(transition.timer);
        let code: i64 = COMMIT
            .key(&keys.saga)
            .key(&keys.journal)
            .key(&keys.timers)
            .key(&keys.active)
            .arg(&transition.id)
            .arg(transition.expected_version)
            .arg(encode_meta(&transition.meta)?)
            .arg(transition.state.as_slice())
            .arg(transition.journal_entry.as_slice())
            .arg(timer_op)
            .arg(timer_at)
            .arg(active_flag(&transition.meta))
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "commit",
            }),
            0 => Err(StoreError::NotFound(transition.id.clone())),
            1 => Err(StoreError::VersionConflict {
                id: transition.id.clone(),
                expected: transition.expected_version,
            }),
            2 => Ok(()),
            other => Err(unexpected_code("commit", other)),
        }
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

    async fn due_timers(&self, now_ms: i64, limit: usize) -> Result<Vec<DueTimer>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for partition in 0..PARTITIONS {
            pipe.cmd("ZRANGEBYSCORE")
                .arg(self.partition_key(partition, "timers"))
                .arg("-inf")
                .arg(now_ms)
                .arg("WITHSCORES")
                .arg("LIMIT")
                .arg(0)
                .arg(limit);
        }
        let per_partition: Vec<Vec<(String, f64)>> = pipe.query_async(&mut self.con()).await?;
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
        due.truncate(limit);
        Ok(due)
    }

    async fn active(&self) -> Result<Vec<String>, StoreError> {
        let mut pipe = redis::pipe();
        for partition in 0..PARTITIONS {
            pipe.cmd("SMEMBERS")
                .arg(self.partition_key(partition, "active"));
        }
        let per_partition: Vec<Vec<String>> = pipe.query_async(&mut self.con()).await?;
        let mut ids: Vec<String> = per_partition.into_iter().flatten().collect();
        ids.sort();
        Ok(ids)
    }

    async fn armed_timers(&self) -> Result<u64, StoreError> {
        let mut pipe = redis::pipe();
        for partition in 0..PARTITIONS {
            pipe.cmd("ZCARD")
                .arg(self.partition_key(partition, "timers"));
        }
        let per_partition: Vec<u64> = pipe.query_async(&mut self.con()).await?;
        Ok(per_partition.into_iter().sum())
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<StoredSaga>, StoreError> {
        list::list(self, filter).await
    }

    async fn index_add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        redis::cmd("SADD")
            .arg(self.index_key(index))
            .arg(member)
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }

    async fn index_remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        redis::cmd("SREM")
            .arg(self.index_key(index))
            .arg(member)
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }

    async fn index_members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        let mut members: Vec<String> = redis::cmd("SMEMBERS")
            .arg(self.index_key(index))
            .query_async(&mut self.con())
            .await?;
        members.sort();
        Ok(members)
    }

    async fn idempotency_claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        self.claim_key(key, fingerprint, in_flight_ttl_ms).await
    }

    async fn idempotency_complete(
        &self,
        key: &str,
        fingerprint: &[u8],
        response: &[u8],
        ttl_ms: u64,
    ) -> Result<(), StoreError> {
        self.complete_key(key, fingerprint, response, ttl_ms).await
    }

    async fn idempotency_release(&self, key: &str) -> Result<(), StoreError> {
        self.release_key(key).await
    }

    async fn count_attempt(&self, key: &str, window_ms: u64) -> Result<u64, StoreError> {
        let key = self.counter_key(key);
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg(&key)
            .cmd("PEXPIRE")
            .arg(&key)
            .arg(window_ms.max(1))
            .arg("NX")
            .ignore()
            .query_async(&mut self.con())
            .await?;
        Ok(count)
    }

    async fn attempts(&self, key: &str) -> Result<u64, StoreError> {
        let count: Option<u64> = redis::cmd("GET")
            .arg(self.counter_key(key))
            .query_async(&mut self.con())
            .await?;
        Ok(count.unwrap_or(0))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.con())
            .await?;
        Ok(())
    }
}
