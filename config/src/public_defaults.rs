//! The public values of `config/default.toml`: its caller keys, its data key and its HMAC
//! key are printed in the README so that anyone can try the sandbox, which makes them
//! worthless as secrets. They are listed here, once, so that a deployment without the
//! sandbox can refuse to start with any of them (see `onboard serve`).

use std::fmt;

use crate::Settings;

/// A bearer key of the sandbox configuration and the SHA-256 (hex) configured for it.
#[derive(Debug, Clone, Copy)]
pub struct PublicCallerKey {
    /// The key, as the README gives it.
    pub key: &'static str,
    /// Its SHA-256, as `[[callers]]` holds it.
    pub sha256: &'static str,
}

/// Every caller key of `config/default.toml`.
pub const CALLER_KEYS: [PublicCallerKey; 8] = [
    public(
        "bank_test_key",
        "4eba61b54ffcbf1e9c849cd10c56ab7e03deac9e890ad4dc1bdacaaf1e33710e",
    ),
    public(
        "wallet_test_key",
        "aaa7d79fcf0415edc63749ccf4efba44fc7550500a41938107df2bc34fadfd79",
    ),
    public(
        "wallet2_test_key",
        "f29b7d8cd9250eb3e65a8ee998aaae035540af5756eae332092d0d2008948680",
    ),
    public(
        "merchant_test_key",
        "86d11444ea93bd976985545212a5b495c4e78d5a5ad725ac18c398b19ed807b8",
    ),
    public(
        "merchant2_test_key",
        "c527a02055d63750b53c665167ade4c30938054c9679975b4024956083262c2b",
    ),
    public(
        "app_test_key",
        "9919ca2bbd5ece84a8ed7a01211e0b96d8ee59b3098505323b01810469bf26bd",
    ),
    public(
        "app2_test_key",
        "652ee84eb734ef22757043ecc13ecc428db4507ac39d9ec871749119c1f222fd",
    ),
    public(
        "admin_test_key",
        "21502230d87bb4b7b1bd5a5c81cf333cc48bd5e73a8cc91da729688168822e84",
    ),
];

/// The data key of `config/default.toml` (base64).
pub const DATA_KEY: &str = "b25ib2FyZC1zYW5kYm94LXRlc3Qta2V5LTMyYnl0ZXM=";

/// The HMAC key of `config/default.toml` (base64).
pub const HMAC_KEY: &str = "b25ib2FyZC1zYW5kYm94LWhtYWMta2V5LTMyYnl0ZXMhIQ==";

const fn public(key: &'static str, sha256: &'static str) -> PublicCallerKey {
    PublicCallerKey { key, sha256 }
}

/// A setting that holds a public sandbox value, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicValue {
    /// A caller whose key hash is a sandbox key's.
    Caller {
        /// The caller's id.
        id: String,
        /// The public key it accepts.
        key: &'static str,
    },
    /// A data key that is the sandbox data key.
    DataKey {
        /// Its place in `security.data_keys`.
        index: usize,
        /// Its id.
        id: String,
    },
    /// The HMAC key is the sandbox one.
    HmacKey,
}

impl fmt::Display for PublicValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublicValue::Caller { id, key } => write!(
                f,
                "callers {id:?}: key_sha256 is the public sandbox key for {key}; give real \
                 callers with ONBOARD_CALLERS_FILE (or --callers-file) or a [[callers]] list \
                 in --config"
            ),
            PublicValue::DataKey { index, id } => write!(
                f,
                "security.data_keys[{index}] (id {id:?}): key is the public sandbox data key; \
                 list your own keys (`openssl rand -base64 32`) as [[security.data_keys]] in a \
                 --config file (ONBOARD_CONFIG, e.g. a mounted Secret)"
            ),
            PublicValue::HmacKey => write!(
                f,
                "security.hmac_key is the public sandbox HMAC key; set your own \
                 (`openssl rand -base64 32`) with ONBOARD_SECURITY__HMAC_KEY or in a --config file"
            ),
        }
    }
}

/// Why a deployment without the sandbox does not start: every public value it holds.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to start without the sandbox while the configuration holds public sandbox \
     values:\n  - {}",
    .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  - ")
)]
pub struct PublicValues(pub Vec<PublicValue>);

/// The settings' public sandbox values, if any: callers, then data keys, then the HMAC key.
pub fn find(settings: &Settings) -> Vec<PublicValue> {
    let callers = settings.callers.iter().filter_map(|caller| {
        CALLER_KEYS
            .iter()
            .find(|public| public.sha256.eq_ignore_ascii_case(&caller.key_sha256))
            .map(|public| PublicValue::Caller {
                id: caller.id.clone(),
                key: public.key,
            })
    });
    let data_keys = settings
        .security
        .data_keys
        .iter()
        .enumerate()
        .filter(|(_, key)| key.key.trim() == DATA_KEY)
        .map(|(index, key)| PublicValue::DataKey {
            index,
            id: key.id.clone(),
        });
    let hmac = (settings.security.hmac_key.trim() == HMAC_KEY).then_some(PublicValue::HmacKey);
    callers.chain(data_keys).chain(hmac).collect()
}

/// Refuses settings that hold any public sandbox value.
pub fn refuse(settings: &Settings) -> Result<(), PublicValues> {
    let found = find(settings);
    match found.is_empty() {
        true => Ok(()),
        false => Err(PublicValues(found)),
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;
    use crate::{CallerSettings, DataKeySettings};

    fn defaults() -> Settings {
        Settings::load(None).expect("defaults load")
    }

    #[test]
    fn the_public_values_are_those_of_default_toml() {
        let settings = defaults();
        let configured: Vec<&str> = settings
            .callers
            .iter()
            .map(|caller| caller.key_sha256.as_str())
            .collect();
        let listed: Vec<&str> = CALLER_KEYS.iter().map(|public| public.sha256).collect();
        assert_eq!(configured, listed);
        for public in CALLER_KEYS {
            assert_eq!(
                hex::encode(Sha256::digest(public.key.as_bytes())),
                public.sha256,
                "{}",
                public.key
            );
        }
        let data_keys: Vec<&str> = settings
            .security
            .data_keys
            .iter()
            .map(|key| key.key.as_str())
            .collect();
        assert_eq!(data_keys, [DATA_KEY]);
        assert_eq!(settings.security.hmac_key, HMAC_KEY);
    }

    #[test]
    fn the_defaults_hold_every_public_value() {
        let found = find(&defaults());
        assert_eq!(found.len(), CALLER_KEYS.len() + 2, "{found:?}");
        assert!(found.contains(&PublicValue::Caller {
            id: "sandbox-bank".into(),
            key: "bank_test_key",
        }));
        assert!(found.contains(&PublicValue::DataKey {
            index: 0,
            id: "sandbox-1".into(),
        }));
        assert!(found.contains(&PublicValue::HmacKey));
        let message = refuse(&defaults()).unwrap_err().to_string();
        assert!(
            message.contains(
                "callers \"sandbox-bank\": key_sha256 is the public sandbox key for bank_test_key"
            ),
            "{message}"
        );
        assert!(message.contains("security.data_keys[0]"), "{message}");
        assert!(message.contains("security.hmac_key"), "{message}");
    }

    #[test]
    fn real_values_pass_and_each_public_one_is_named() {
        let mut settings = defaults();
        settings.callers = vec![CallerSettings {
            id: "acme-bank".into(),
            role: "bank".into(),
            key_sha256: "ab".repeat(32),
        }];
        settings.security.data_keys = vec![DataKeySettings {
            id: "k1".into(),
            key: "cmVhbC1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyEhISE=".into(),
        }];
        settings.security.hmac_key = "cmVhbC1obWFjLWtleS1vZi10aGlydHktdHdvLWJ5dGVz".into();
        assert!(refuse(&settings).is_ok());

        let mut public_caller = settings.clone();
        public_caller.callers[0].key_sha256 = CALLER_KEYS[7].sha256.to_uppercase();
        assert_eq!(
            find(&public_caller),
            [PublicValue::Caller {
                id: "acme-bank".into(),
                key: "admin_test_key",
            }]
        );

        let mut public_retired = settings.clone();
        public_retired.security.data_keys.push(DataKeySettings {
            id: "old".into(),
            key: DATA_KEY.into(),
        });
        assert_eq!(
            find(&public_retired),
            [PublicValue::DataKey {
                index: 1,
                id: "old".into(),
            }]
        );

        let mut public_hmac = settings;
        public_hmac.security.hmac_key = format!(" {HMAC_KEY}\n");
        assert_eq!(find(&public_hmac), [PublicValue::HmacKey]);
    }
}
