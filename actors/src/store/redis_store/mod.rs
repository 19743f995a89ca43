//! The production backend: Redis, with a key layout that is ready for Redis Cluster.
//!
//! Every saga lives in one of [`PARTITIONS`](layout::PARTITIONS) partitions. All keys of a saga, its index
//! rows and the timer, active and listing keys of its partition share one hash tag
//! (`{pNN}`), so the Lua scripts that write a transition touch a single Cluster slot and
//! stay atomic. Reads across partitions (due timers, the active set, the listing, an
//! index's members) send one command per partition: in one pipeline (one round trip) on a
//! single server, concurrently on a cluster. Several comma-separated URLs select Redis
//! Cluster.
//!
//! The scripts that write for a caller (insert, commit, idempotency claim) carry the
//! instant at which that caller stops waiting, and refuse to apply after it: a command
//! that reaches Redis late (held in a socket during a network outage, or behind a paused
//! server) must not act for a request that was already answered with an error.

mod attempts;
mod connection;
mod idempotency;
mod indexes;
mod key_pins;
mod layout;
mod leases;
mod links;
mod list;
mod pairing;
mod retention;
mod sagas;
mod sealed;
mod target;
mod tickets;
mod walk;
mod writes;

use std::sync::Arc;
use std::time::Duration;

use redis::{ErrorKind, RedisError};

use self::connection::Connection;
pub use self::target::RedisTarget;
use super::{clock, StoreError};

/// Code of a write script that arrived after its apply-by instant.
const LATE: i64 = -1;

/// A script that writes for a caller: `body` with the apply-by check (`too_late`) in front.
fn guarded(body: &str) -> redis::Script {
    redis::Script::new(&format!("{}{body}", include_str!("deadline.lua")))
}

/// The stores on Redis: the backend for production, shared by every replica of the
/// service. Clones share one connection.
#[derive(Clone)]
pub struct RedisStore {
    con: Connection,
    prefix: Arc<str>,
    /// How long a caller waits for one operation: bounds each connection attempt and
    /// reply, and is the window in which a write may still apply.
    timeout: Duration,
}

impl RedisStore {
    /// Connects to Redis at `url` (several comma-separated URLs: the seed nodes of a
    /// Redis Cluster), namespacing every key under `key_prefix` so several
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
        let con = Connection::open(url, timeout).await?;
        Ok(RedisStore {
            con,
            prefix: Arc::from(key_prefix),
            timeout,
        })
    }

    /// A connection handle; clones share the connections.
    fn con(&self) -> Connection {
        self.con.clone()
    }

    /// The instant (Unix ms) after which a write sent now must no longer apply: when its
    /// caller stops waiting for it.
    fn apply_by_ms(&self) -> i64 {
        let window = u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX);
        clock::after(clock::now_ms(), window)
    }
}

fn unexpected_code(script: &str, code: i64) -> StoreError {
    StoreError::Corrupt(format!(
        "the {script} script returned the unknown code {code}"
    ))
}
