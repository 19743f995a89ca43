//! Key pins within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{KeyPinStore, StoreError};

#[async_trait]
impl<S: KeyPinStore> KeyPinStore for TimedStore<S> {
    async fn pin(&self, name: &str, fingerprint: &str) -> Result<String, StoreError> {
        self.within("key_pin", self.inner.pin(name, fingerprint))
            .await
    }

    async fn replace_pin(&self, name: &str, fingerprint: &str) -> Result<(), StoreError> {
        self.within("key_pin_replace", self.inner.replace_pin(name, fingerprint))
            .await
    }
}
