//! Key pins of the embedded store: one `KEY_PINS` row per pin.

use async_trait::async_trait;
use redb::{Database, ReadableTable};

use super::tables::{OrEmbedded, KEY_PINS};
use super::EmbeddedStore;
use crate::store::{KeyPinStore, StoreError};

#[async_trait]
impl KeyPinStore for EmbeddedStore {
    async fn pin(&self, name: &str, fingerprint: &str) -> Result<String, StoreError> {
        let (name, fingerprint) = (name.to_owned(), fingerprint.to_owned());
        self.run(move |db| pin(db, &name, &fingerprint)).await
    }

    async fn replace_pin(&self, name: &str, fingerprint: &str) -> Result<(), StoreError> {
        let (name, fingerprint) = (name.to_owned(), fingerprint.to_owned());
        self.run(move |db| replace_pin(db, &name, &fingerprint))
            .await
    }
}

fn pin(db: &Database, name: &str, fingerprint: &str) -> Result<String, StoreError> {
    let txn = db.begin_write().embedded()?;
    let pinned = {
        let mut pins = txn.open_table(KEY_PINS).embedded()?;
        let found = pins.get(name).embedded()?.map(|row| row.value().to_owned());
        match found {
            Some(pinned) => pinned,
            None => {
                pins.insert(name, fingerprint).embedded()?;
                fingerprint.to_owned()
            }
        }
    };
    txn.commit().embedded()?;
    Ok(pinned)
}

fn replace_pin(db: &Database, name: &str, fingerprint: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(KEY_PINS)
        .embedded()?
        .insert(name, fingerprint)
        .embedded()?;
    txn.commit().embedded()
}
