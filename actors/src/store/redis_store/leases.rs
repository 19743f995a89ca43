//! Leases on Redis: taken, renewed and released by scripts that run on the saga's
//! partition (its hash tag), expiries on the server's clock.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use futures::future::try_join_all;
use redis::Script;

use super::layout::PARTITIONS;
use super::RedisStore;
use crate::store::{LeaseStore, StoreError};

static ACQUIRE: LazyLock<Script> = LazyLock::new(|| lease_script(include_str!("acquire.lua")));
static RENEW: LazyLock<Script> = LazyLock::new(|| lease_script(include_str!("renew.lua")));
static RELEASE: LazyLock<Script> = LazyLock::new(|| lease_script(include_str!("release.lua")));
static ORPHANS: LazyLock<Script> = LazyLock::new(|| lease_script(include_str!("orphans.lua")));

/// A script with the lease functions prepended.
fn lease_script(body: &str) -> Script {
    Script::new(&format!("{}{body}", include_str!("lease.lua")))
}

#[async_trait]
impl LeaseStore for RedisStore {
    async fn acquire(
        &self,
        id: &str,
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Option<u64>, StoreError> {
        let keys = self.saga_keys(id);
        let token: u64 = ACQUIRE
            .key(&keys.saga)
            .key(&keys.leases)
            .arg(id)
            .arg(replica)
            .arg(ttl_ms)
            .invoke_async(&mut self.con())
            .await?;
        Ok((token > 0).then_some(token))
    }

    async fn renew(
        &self,
        held: &[(String, u64)],
        replica: &str,
        ttl_ms: u64,
    ) -> Result<Vec<String>, StoreError> {
        let mut by_partition: BTreeMap<u32, Vec<&(String, u64)>> = BTreeMap::new();
        for lease in held {
            by_partition
                .entry(self.saga_keys(&lease.0).partition)
                .or_default()
                .push(lease);
        }
        let mut lost = Vec::new();
        for (partition, leases) in by_partition {
            let mut script = RENEW.prepare_invoke();
            script
                .key(self.partition_key(partition, "leases"))
                .arg(replica)
                .arg(ttl_ms);
            for (id, token) in leases {
                script.key(self.saga_keys(id).saga).arg(id).arg(token);
            }
            let gone: Vec<String> = script.invoke_async(&mut self.con()).await?;
            lost.extend(gone);
        }
        Ok(lost)
    }

    async fn release(&self, id: &str, replica: &str, token: u64) -> Result<(), StoreError> {
        let keys = self.saga_keys(id);
        let _: i64 = RELEASE
            .key(&keys.saga)
            .key(&keys.leases)
            .arg(id)
            .arg(replica)
            .arg(token)
            .invoke_async(&mut self.con())
            .await?;
        Ok(())
    }

    async fn orphans(&self) -> Result<Vec<String>, StoreError> {
        let sweeps = (0..PARTITIONS).map(|partition| {
            let mut con = self.con();
            let (active, leases) = (
                self.partition_key(partition, "active"),
                self.partition_key(partition, "leases"),
            );
            async move {
                ORPHANS
                    .key(active)
                    .key(leases)
                    .invoke_async::<Vec<String>>(&mut con)
                    .await
            }
        });
        let mut orphans: Vec<String> = try_join_all(sweeps).await?.concat();
        orphans.sort();
        Ok(orphans)
    }
}
