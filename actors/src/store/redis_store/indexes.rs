//! Index reads on Redis: an index's rows are spread over the partitions of the sagas that
//! hold them (one hash per partition), so its members are read from every partition in
//! one pipeline.

use async_trait::async_trait;

use super::layout::PARTITIONS;
use super::RedisStore;
use crate::store::{IndexMember, IndexStore, StoreError};

#[async_trait]
impl IndexStore for RedisStore {
    async fn members(&self, index: &str) -> Result<Vec<IndexMember>, StoreError> {
        let mut pipe = redis::pipe();
        for partition in 0..PARTITIONS {
            pipe.cmd("HGETALL").arg(self.index_key(partition, index));
        }
        let per_partition: Vec<Vec<(String, String)>> = pipe.query_async(&mut self.con()).await?;
        let mut members: Vec<IndexMember> = per_partition
            .into_iter()
            .flatten()
            .map(|(member, saga_id)| IndexMember { member, saga_id })
            .collect();
        members.sort_by(|a, b| a.member.cmp(&b.member));
        Ok(members)
    }
}
