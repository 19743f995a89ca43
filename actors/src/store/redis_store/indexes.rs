//! Index reads on Redis: an index's rows are spread over the partitions of the sagas that
//! hold them (one hash per partition), so its members are read from every partition.

use async_trait::async_trait;

use super::layout::PARTITIONS;
use super::RedisStore;
use crate::store::{IndexMember, IndexStore, StoreError};

#[async_trait]
impl IndexStore for RedisStore {
    async fn members(&self, index: &str) -> Result<Vec<IndexMember>, StoreError> {
        let cmds = (0..PARTITIONS).map(|partition| {
            let mut cmd = redis::cmd("HGETALL");
            cmd.arg(self.index_key(partition, index));
            cmd
        });
        let per_partition: Vec<Vec<(String, String)>> = self.con.each(cmds.collect()).await?;
        let mut members: Vec<IndexMember> = per_partition
            .into_iter()
            .flatten()
            .map(|(member, saga_id)| IndexMember { member, saga_id })
            .collect();
        members.sort_by(|a, b| a.member.cmp(&b.member));
        Ok(members)
    }
}
