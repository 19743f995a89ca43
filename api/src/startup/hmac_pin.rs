//! The HMAC key is never rotated silently. It derives workflow ids from Idempotency-Keys,
//! fingerprints idempotent requests and finds usernames, so a changed key would let a
//! retried request start its saga a second time and would lose every account. Its
//! fingerprint is pinned in the store on first start, and a start with another key is
//! refused unless the operator asks for the change (`--replace-hmac-key`).

use onboard_actors::store::{KeyPinStore, StoreError};

use crate::secrets;

/// The pin's name in the store (Redis `{prefix}:pin:hmac_key`, embedded `key_pins` table).
pub const HMAC_KEY_PIN: &str = "hmac_key";

/// What to do when the configured key is not the pinned one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChange {
    /// Refuse to start (the default).
    Refuse,
    /// Pin the configured key (`--replace-hmac-key`), with a warning.
    Replace,
}

/// Why start-up stopped at the pin.
#[derive(Debug, thiserror::Error)]
pub enum HmacPinError {
    /// The configured key is not the one the store was used with.
    #[error(
        "security.hmac_key is not the key this store was used with (its fingerprint differs \
         from the one pinned at first start). Restore the previous key; or, to change it on \
         purpose, start once with `onboard serve --replace-hmac-key`: Idempotency-Keys of \
         earlier requests will then no longer find their workflows (a retry could start a \
         saga twice) and accounts created under the old key will no longer be found"
    )]
    Changed,
    /// The pin could not be read or written.
    #[error("the HMAC key pin could not be checked: {0}")]
    Store(#[from] StoreError),
}

/// Pins the key's fingerprint on first use, then holds every start to it.
pub async fn check(
    pins: &dyn KeyPinStore,
    hmac_key: &[u8],
    change: KeyChange,
) -> Result<(), HmacPinError> {
    let fingerprint = secrets::hmac_fingerprint(hmac_key);
    let pinned = pins.pin(HMAC_KEY_PIN, &fingerprint).await?;
    if pinned == fingerprint {
        return Ok(());
    }
    if change == KeyChange::Refuse {
        return Err(HmacPinError::Changed);
    }
    pins.replace_pin(HMAC_KEY_PIN, &fingerprint).await?;
    tracing::warn!(
        "security.hmac_key replaced (--replace-hmac-key): Idempotency-Keys of earlier \
         requests no longer find their workflows, and accounts created under the previous \
         key are no longer found"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use onboard_actors::store::EmbeddedStore;

    use super::*;

    #[tokio::test]
    async fn the_first_key_is_pinned_and_another_is_refused_unless_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = EmbeddedStore::open(&dir.path().join("store.redb")).expect("open");
        let (first, second) = ([1_u8; 32], [2_u8; 32]);
        check(&store, &first, KeyChange::Refuse)
            .await
            .expect("pinned");
        check(&store, &first, KeyChange::Refuse)
            .await
            .expect("same key");
        assert!(matches!(
            check(&store, &second, KeyChange::Refuse).await,
            Err(HmacPinError::Changed)
        ));
        check(&store, &second, KeyChange::Replace)
            .await
            .expect("replaced");
        check(&store, &second, KeyChange::Refuse)
            .await
            .expect("new pin");
        assert!(matches!(
            check(&store, &first, KeyChange::Refuse).await,
            Err(HmacPinError::Changed)
        ));
    }
}
