//! The two secrets of the orchestrator, read from the settings: the data keys that seal
//! personal data at rest, and the HMAC key that derives ids and fingerprints idempotent
//! requests. Separate secrets, so that neither use weakens the other: the data keys rotate
//! (`security.data_keys`, the first seals), the HMAC key is pinned (see [`hmac_fingerprint`]).

use anyhow::Context as _;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use onboard_actors::seal::Sealer;
use onboard_config::SecuritySettings;
use sha2::Sha256;

/// The shortest HMAC key accepted: the hash's own output size.
const MIN_HMAC_KEY_BYTES: usize = 32;

/// What the HMAC key's fingerprint is the MAC of. Fixed forever: a new label would make
/// every stored fingerprint differ from its unchanged key.
const FINGERPRINT_LABEL: &[u8] = b"onboard hmac key fingerprint v1";

/// The sealer of `security.data_keys`: the first key seals, every key opens. The one place
/// a sealer is built from settings (`serve` and `rekey` both use it).
pub fn sealer(security: &SecuritySettings) -> anyhow::Result<Sealer> {
    let keys: Vec<(&str, &str)> = security
        .data_keys
        .iter()
        .map(|key| (key.id.as_str(), key.key.as_str()))
        .collect();
    let (current, others) = keys
        .split_first()
        .context("security.data_keys must hold at least one key")?;
    Sealer::new(*current, others).context("security.data_keys")
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

/// The HMAC key's fingerprint (hex): the MAC of a fixed label under the key. It tells two
/// keys apart without revealing either, so the store can keep it.
pub fn hmac_fingerprint(hmac_key: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(hmac_key).expect("HMAC takes any key");
    mac.update(FINGERPRINT_LABEL);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use onboard_config::DataKeySettings;

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

    fn data_key(id: &str, byte: u8) -> DataKeySettings {
        DataKeySettings {
            id: id.to_owned(),
            key: base64::engine::general_purpose::STANDARD.encode([byte; 32]),
        }
    }

    #[test]
    fn the_default_secrets_load_and_differ() {
        let security = defaults();
        assert!(sealer(&security).is_ok());
        assert_ne!(security.hmac_key, security.data_keys[0].key);
        assert!(hmac_key(&security).unwrap().len() >= MIN_HMAC_KEY_BYTES);
    }

    #[test]
    fn a_short_or_garbled_hmac_key_is_refused() {
        assert!(hmac_key(&security("c2hvcnQ=")).is_err());
        assert!(hmac_key(&security("not base64!")).is_err());
    }

    #[test]
    fn the_first_data_key_seals_and_every_key_opens() {
        let old = SecuritySettings {
            data_keys: vec![data_key("k1", 1)],
            ..defaults()
        };
        let sealed_by_old = sealer(&old).unwrap().seal_bytes(b"ctx", b"plain");
        let rotated = SecuritySettings {
            data_keys: vec![data_key("k2", 2), data_key("k1", 1)],
            ..defaults()
        };
        let sealer = sealer(&rotated).unwrap();
        assert_eq!(sealer.open_bytes(b"ctx", &sealed_by_old).unwrap(), b"plain");
        let sealed_by_new = sealer.seal_bytes(b"ctx", b"plain");
        assert!(super::sealer(&old)
            .unwrap()
            .open_bytes(b"ctx", &sealed_by_new)
            .is_err());
    }

    #[test]
    fn no_data_key_or_a_bad_one_is_refused() {
        let none = SecuritySettings {
            data_keys: Vec::new(),
            ..defaults()
        };
        assert!(sealer(&none).is_err());
        let short = SecuritySettings {
            data_keys: vec![DataKeySettings {
                id: "k1".into(),
                key: "c2hvcnQ=".into(),
            }],
            ..defaults()
        };
        assert!(sealer(&short).is_err());
    }

    #[test]
    fn fingerprints_tell_keys_apart_and_hide_them() {
        let key = hmac_key(&defaults()).unwrap();
        let fingerprint = hmac_fingerprint(&key);
        assert_eq!(fingerprint, hmac_fingerprint(&key));
        assert_eq!(fingerprint.len(), 64);
        assert_ne!(fingerprint, hmac_fingerprint(&[7; 32]));
        assert!(!fingerprint.contains(&hex::encode(&key[..8])));
    }
}
