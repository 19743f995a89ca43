//! Secondary indexes on Redis: one set per index.

use async_trait::async_trait;

use super::RedisStore;
use crate::store::{IndexStore, StoreError};

#[async_trait]
impl IndexStore for RedisStore {
    async fn add(&self, index: &str, member: &str) -> Result<(), StoreError> {
        redis::cmd("SADD")
            .arg(self.index_key(index))
            .arg(member)
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }

    async fn remove(&self, index: &str, member: &str) -> Result<(), StoreError> {
        redis::cmd("SREM")
            .arg(self.index_key(index))
            .arg(member)
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }

    async fn members(&self, index: &str) -> Result<Vec<String>, StoreError> {
        let mut members: Vec<String> = redis::cmd("SMEMBERS")
            .arg(self.index_key(index))
            .query_async(&mut self.con())
            .await?;
        members.sort();
        Ok(members)
    }
}
