//! Sealing of saga state at rest: the whole state (which carries names, id numbers,
//! phones and card numbers) is encrypted with AES-256-GCM before it reaches a store, so
//! neither Redis nor the embedded file ever holds personal data in clear.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use onboard_workflows::AnySaga;
use rand::RngCore;

/// Length of the random nonce stored in front of every sealed value.
const NONCE_LEN: usize = 12;
/// Version byte of the sealed format, so that a key rotation can add a version later.
const FORMAT_V1: u8 = 1;

/// Why sealing or opening failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// The configured key is not base64 of 32 bytes.
    #[error("data key must be base64 of 32 bytes")]
    BadKey,
    /// The stored value was not sealed with this key, or was altered.
    #[error("sealed value cannot be opened (wrong key or tampered)")]
    Unauthentic,
    /// The opened value is not a saga state.
    #[error("sealed value holds no saga state: {0}")]
    Decode(String),
}

/// Encrypts and decrypts saga states with the configured data key.
#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key>)")
    }
}

impl Sealer {
    /// A sealer from the base64 text of a 32-byte key.
    pub fn from_base64(key: &str) -> Result<Sealer, SealError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(key.trim())
            .map_err(|_| SealError::BadKey)?;
        if bytes.len() != 32 {
            return Err(SealError::BadKey);
        }
        Ok(Sealer {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
        })
    }

    /// The sealed bytes of a saga: version, nonce, ciphertext with tag. The saga id is
    /// bound as associated data, so a state cannot be moved under another saga.
    pub fn seal(&self, saga_id: &str, saga: &AnySaga) -> Vec<u8> {
        let plain = serde_json::to_vec(saga).expect("saga states always serialise");
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = aes_gcm::aead::Payload {
            msg: &plain,
            aad: saga_id.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encryption of a bounded message cannot fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The saga inside sealed bytes, checked against the saga id it was sealed for.
    pub fn open(&self, saga_id: &str, sealed: &[u8]) -> Result<AnySaga, SealError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != FORMAT_V1 {
            return Err(SealError::Unauthentic);
        }
        let (nonce, body) = sealed[1..].split_at(NONCE_LEN);
        let payload = aes_gcm::aead::Payload {
            msg: body,
            aad: saga_id.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| SealError::Unauthentic)?;
        serde_json::from_slice(&plain).map_err(|e| SealError::Decode(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboard_workflows::domain::{CardNumber, IdNumber, PersonName, Phone};
    use onboard_workflows::payment_account_registration::{Registration, RegistrationRequest};

    const KEY: &str = "b25ib2FyZC1zYW5kYm94LXRlc3Qta2V5LTMyYnl0ZXM=";

    fn saga() -> AnySaga {
        AnySaga::PaymentAccountRegistration(Registration::start(
            RegistrationRequest {
                bank_user_ref: "u-1".into(),
                name: PersonName::parse("张三").unwrap(),
                id_number: IdNumber::parse("11010519491231002X").unwrap(),
                phone: Phone::parse("+8613800138000").unwrap(),
                card_number: CardNumber::parse("4111111111111111").unwrap(),
            },
            600,
        ))
    }

    #[test]
    fn a_sealed_state_opens_to_the_same_saga_and_hides_personal_data() {
        let sealer = Sealer::from_base64(KEY).unwrap();
        let sealed = sealer.seal("wf_1", &saga());
        let text = String::from_utf8_lossy(&sealed);
        for secret in [
            "11010519491231002X",
            "13800138000",
            "4111111111111111",
            "张三",
        ] {
            assert!(!text.contains(secret), "{secret} in clear");
        }
        assert_eq!(sealer.open("wf_1", &sealed).unwrap(), saga());
    }

    #[test]
    fn a_state_moved_to_another_saga_or_altered_does_not_open() {
        let sealer = Sealer::from_base64(KEY).unwrap();
        let mut sealed = sealer.seal("wf_1", &saga());
        assert!(matches!(
            sealer.open("wf_2", &sealed),
            Err(SealError::Unauthentic)
        ));
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(matches!(
            sealer.open("wf_1", &sealed),
            Err(SealError::Unauthentic)
        ));
    }

    #[test]
    fn keys_that_are_not_32_bytes_are_refused() {
        assert!(matches!(
            Sealer::from_base64("c2hvcnQ="),
            Err(SealError::BadKey)
        ));
        assert!(matches!(
            Sealer::from_base64("not base64!"),
            Err(SealError::BadKey)
        ));
    }
}
