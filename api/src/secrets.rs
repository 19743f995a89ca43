//! The two secrets of the orchestrator, read from the settings: the sealing keyring that
//! encrypts saga state at rest, and the HMAC key that derives ids and fingerprints
//! idempotent requests. Separate secrets, so that neither use weakens the other and each
//! can be rotated on its own.

use anyhow::Context as _;
use base64::Engine as _;
use onboard_actors::seal::Sealer;
use onboard_config::SecuritySettings;

/// The shortest HMAC key accepted: the hash's own output size.
const MIN_HMAC_KEY_BYTES: usize = 32;

/// The sealer of the current key and the retired ones.
pub fn sealer(security: &SecuritySettings) -> anyhow::Result<Sealer> {
    let retired: Vec<(&str, &str)> = security
        .retired_sealing_keys
        .iter()
        .map(|(id, key)| (id.as_str(), key.as_str()))
        .collect();
    Sealer::new((&security.sealing_key_id, &security.sealing_key), &retired)
        .context("security.sealing_key / security.retired_sealing_keys")
}

/// The HMAC key's bytes, refused unless it is base64 of at least 32 bytes.
pub fn hmac_key(security: &SecuritySettings) -> anyhow::Result<Vec<u8>> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(security.hmac_key.trim())
        .ok()
        .filter(|key| key.len() >= MIN_HMAC_KEY_BYTES);
    key.with_context(|| {
        format!("security.hmac_key must be base64 of at least {MIN_HMAC_KEY_BYTES} bytes")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> SecuritySettings {
        onboard_config::Settings::load(None)
            .expect("defaults")
            .security
    }

    fn security(hmac_key: &str) -> SecuritySettings {
        SecuritySettings {
            hmac_key: hmac_key.to_owned(),
            ..defaults()
        }
    }

    #[test]
    fn the_default_secrets_load_and_differ() {
        let security = defaults();
        assert!(sealer(&security).is_ok());
        assert_ne!(security.hmac_key, security.sealing_key);
        assert!(hmac_key(&security).unwrap().len() >= MIN_HMAC_KEY_BYTES);
    }

    #[test]
    fn a_short_or_garbled_hmac_key_is_refused() {
        assert!(hmac_key(&security("c2hvcnQ=")).is_err());
        assert!(hmac_key(&security("not base64!")).is_err());
    }
}
