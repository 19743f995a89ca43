//! Key names of the Redis backend.
//!
//! `{prefix}:{pNN}:saga:{id}` (hash: `v` version, `m` meta JSON, `s` sealed state, and
//! one field `x:<key length>:<index key><member>` per index row the saga holds, so that
//! retention finds its rows), `{prefix}:{pNN}:journal:{id}` (list),
//! `{prefix}:{pNN}:idem_of:{id}` (set of the idempotency record keys whose response is
//! about the saga), and per partition `{prefix}:{pNN}:timers` (zset by fire instant),
//! `{prefix}:{pNN}:active` (set), `{prefix}:{pNN}:paused` (set), `{prefix}:{pNN}:all`
//! (zset by creation instant), `{prefix}:{pNN}:finished` (zset of the completed and
//! compensated sagas by the instant they finished, what retention reads),
//! `{prefix}:{pNN}:leases` (zset of leased sagas by lease expiry; the lease itself is in
//! the saga hash: `lo` owner, `lt` fencing token, `lx` expiry) and
//! `{prefix}:{pNN}:idx:{index}` (hash: member → saga id, the rows of the index held by
//! the partition's sagas). `{pNN}` is a literal Redis Cluster hash tag, so a saga's keys,
//! its index rows and its partition's keys live in one slot. Idempotency records
//! (`{prefix}:idem:{key}`, with `sg` naming the saga a response is about) and attempt
//! counters (`{prefix}:cnt:{key}`) are single-key, need no tag, and expire; so are key
//! pins (`{prefix}:pin:{name}`), which do not expire. Account links live under their own
//! tag (see `links/`).

use super::RedisStore;

/// How many partitions the sagas are spread over; changing it orphans existing keys.
pub(super) const PARTITIONS: u32 = 16;

/// The keys one saga transition touches, besides its index rows.
pub(super) struct SagaKeys {
    pub(super) partition: u32,
    pub(super) saga: String,
    pub(super) journal: String,
    pub(super) timers: String,
    pub(super) active: String,
    pub(super) paused: String,
    pub(super) all: String,
    pub(super) finished: String,
    pub(super) leases: String,
    /// The set of idempotency record keys whose response is about the saga.
    pub(super) replays: String,
}

impl RedisStore {
    /// Key of a partition-wide structure (`timers`, `active`, `all` or an index).
    pub(super) fn partition_key(&self, partition: u32, name: &str) -> String {
        format!("{}:{{p{partition:02}}}:{name}", self.prefix)
    }

    pub(super) fn saga_keys(&self, id: &str) -> SagaKeys {
        let partition = partition_of(id);
        SagaKeys {
            partition,
            saga: self.partition_key(partition, &format!("saga:{id}")),
            journal: self.partition_key(partition, &format!("journal:{id}")),
            timers: self.partition_key(partition, "timers"),
            active: self.partition_key(partition, "active"),
            paused: self.partition_key(partition, "paused"),
            all: self.partition_key(partition, "all"),
            finished: self.partition_key(partition, "finished"),
            leases: self.partition_key(partition, "leases"),
            replays: self.partition_key(partition, &format!("idem_of:{id}")),
        }
    }

    /// `command` on the partition-wide structure `name` of every partition, in order.
    pub(super) fn per_partition(&self, command: &str, name: &str) -> Vec<redis::Cmd> {
        (0..PARTITIONS)
            .map(|partition| {
                let mut cmd = redis::cmd(command);
                cmd.arg(self.partition_key(partition, name));
                cmd
            })
            .collect()
    }

    /// The rows of `index` held by the sagas of `partition`.
    pub(super) fn index_key(&self, partition: u32, index: &str) -> String {
        self.partition_key(partition, &format!("idx:{index}"))
    }

    pub(super) fn idempotency_key(&self, key: &str) -> String {
        format!("{}:idem:{key}", self.prefix)
    }

    pub(super) fn counter_key(&self, key: &str) -> String {
        format!("{}:cnt:{key}", self.prefix)
    }

    pub(super) fn pin_key(&self, name: &str) -> String {
        format!("{}:pin:{name}", self.prefix)
    }
}

/// The partition of a saga: FNV-1a, because it is stable across processes and releases
/// (unlike the std hasher) and a saga must never change partition.
fn partition_of(id: &str) -> u32 {
    let hash = id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % PARTITIONS
}
