//! Key pins on Redis: one string key per pin, `{prefix}:pin:{name}`, without expiry.

use async_trait::async_trait;

use super::RedisStore;
use crate::store::{KeyPinStore, StoreError};

#[async_trait]
impl KeyPinStore for RedisStore {
    async fn pin(&self, name: &str, fingerprint: &str) -> Result<String, StoreError> {
        let key = self.pin_key(name);
        // SET NX, then GET, in one transaction: `SET … NX GET` would need Redis 7.
        let (pinned,): (String,) = redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(&key)
            .arg(fingerprint)
            .arg("NX")
            .ignore()
            .cmd("GET")
            .arg(&key)
            .query_async(&mut self.con())
            .await?;
        Ok(pinned)
    }

    async fn replace_pin(&self, name: &str, fingerprint: &str) -> Result<(), StoreError> {
        redis::cmd("SET")
            .arg(self.pin_key(name))
            .arg(fingerprint)
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }
}
