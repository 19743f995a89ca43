//! Sealing of personal data at rest: the whole saga state (which carries names, id
//! numbers, phones and card numbers), and any other personal value such as a username, is
//! encrypted with AES-256-GCM before it reaches a store, so neither Redis nor the embedded
//! file ever holds personal data in clear.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use onboard_workflows::AnySaga;
use rand::RngCore;
use std::collections::HashMap;

/// Length of the random nonce stored in every sealed value.
const NONCE_LEN: usize = 12;
/// Version byte of the sealed format: version, key id length, key id, nonce, ciphertext.
const FORMAT_V2: u8 = 2;
/// The longest key id; it is written into every sealed value.
pub const MAX_KEY_ID_LEN: usize = 32;

/// Why sealing or opening failed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    /// A configured key is not base64 of 32 bytes, or its id is not 1–32 visible ASCII.
    #[error("sealing key {0}: must be base64 of 32 bytes, with an id of 1 to 32 visible ASCII characters")]
    BadKey(String),
    /// The stored value names a key this keyring does not hold (retired and dropped?).
    #[error("sealed with key {0}, which is not configured")]
    UnknownKey(String),
    /// The stored value was not sealed with the key it names, or was altered.
    #[error("sealed value cannot be opened (wrong key or tampered)")]
    Unauthentic,
    /// The opened value is not a saga state.
    #[error("sealed value holds no saga state: {0}")]
    Decode(String),
}

/// Encrypts saga states with the current key and opens them with whichever configured key
/// sealed them: every sealed value names its key, so a rotation keeps old data readable
/// while the retired key stays configured.
#[derive(Clone)]
pub struct Sealer {
    current_id: String,
    keys: HashMap<String, Aes256Gcm>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(current key {})", self.current_id)
    }
}

impl Sealer {
    /// A sealer that seals with `current` and also opens what the `retired` keys sealed;
    /// each key is `(id, base64 of 32 bytes)`.
    pub fn new(current: (&str, &str), retired: &[(&str, &str)]) -> Result<Sealer, SealError> {
        let mut keys = HashMap::new();
        for (id, key) in std::iter::once(&current).chain(retired) {
            keys.insert((*id).to_owned(), cipher(id, key)?);
        }
        Ok(Sealer {
            current_id: current.0.to_owned(),
            keys,
        })
    }

    /// The sealed bytes of a saga: version, key id, nonce, ciphertext with tag. The saga id
    /// is bound as associated data, so a state cannot be moved under another saga.
    pub fn seal(&self, saga_id: &str, saga: &AnySaga) -> Vec<u8> {
        let plain = serde_json::to_vec(saga).expect("saga states always serialise");
        self.seal_bytes(saga_id.as_bytes(), &plain)
    }

    /// Seals any personal data (a username) the same way, bound to `context` (e.g. the
    /// user id it belongs to), so that it cannot be moved under another record.
    pub fn seal_bytes(&self, context: &[u8], plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = aes_gcm::aead::Payload {
            msg: plain,
            aad: context,
        };
        let sealed = self.keys[&self.current_id]
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encryption of a bounded message cannot fail");
        let id = self.current_id.as_bytes();
        let mut out = Vec::with_capacity(2 + id.len() + NONCE_LEN + sealed.len());
        out.push(FORMAT_V2);
        out.push(id.len() as u8);
        out.extend_from_slice(id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// The saga inside sealed bytes, checked against the saga id it was sealed for.
    pub fn open(&self, saga_id: &str, sealed: &[u8]) -> Result<AnySaga, SealError> {
        let plain = self.open_bytes(saga_id.as_bytes(), sealed)?;
        serde_json::from_slice(&plain).map_err(|e| SealError::Decode(e.to_string()))
    }

    /// The id of the key that seals new values.
    pub fn current_key_id(&self) -> &str {
        &self.current_id
    }

    /// The id of the key a sealed value names, or `None` if the bytes are not a sealed
    /// value. Says nothing of whether the value opens.
    pub fn key_id_of(sealed: &[u8]) -> Option<&str> {
        split(sealed).map(|(key_id, _, _)| key_id)
    }

    /// `sealed` (sealed for `context`) sealed again under the current key, for a key
    /// rotation; `None` when it already is under the current key.
    pub fn reseal(&self, context: &[u8], sealed: &[u8]) -> Result<Option<Vec<u8>>, SealError> {
        if Sealer::key_id_of(sealed) == Some(self.current_id.as_str()) {
            return Ok(None);
        }
        let plain = self.open_bytes(context, sealed)?;
        Ok(Some(self.seal_bytes(context, &plain)))
    }

    /// The bytes inside what [`Sealer::seal_bytes`] sealed for `context`.
    pub fn open_bytes(&self, context: &[u8], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        let (key_id, nonce, body) = split(sealed).ok_or(SealError::Unauthentic)?;
        let cipher = self
            .keys
            .get(key_id)
            .ok_or_else(|| SealError::UnknownKey(key_id.to_owned()))?;
        let payload = aes_gcm::aead::Payload {
            msg: body,
            aad: context,
        };
        cipher
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| SealError::Unauthentic)
    }
}

/// The cipher of one configured key, refusing a bad id or key.
fn cipher(id: &str, key: &str) -> Result<Aes256Gcm, SealError> {
    let bad = || SealError::BadKey(id.chars().filter(char::is_ascii_graphic).collect());
    if id.is_empty() || id.len() > MAX_KEY_ID_LEN || !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(key.trim())
        .map_err(|_| bad())?;
    if bytes.len() != 32 {
        return Err(bad());
    }
    Ok(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)))
}

/// The key id, nonce and ciphertext of a sealed value, or `None` if it is not one.
fn split(sealed: &[u8]) -> Option<(&str, &[u8], &[u8])> {
    let (&version, rest) = sealed.split_first()?;
    let (&id_len, rest) = rest.split_first()?;
    if version != FORMAT_V2 || rest.len() < usize::from(id_len) + NONCE_LEN {
        return None;
    }
    let (id, rest) = rest.split_at(usize::from(id_len));
    let (nonce, body) = rest.split_at(NONCE_LEN);
    Some((std::str::from_utf8(id).ok()?, nonce, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboard_workflows::domain::{CardNumber, IdNumber, PersonName, Phone};
    use onboard_workflows::payment_account_registration::{Registration, RegistrationRequest};

    const KEY: &str = "b25ib2FyZC1zYW5kYm94LXRlc3Qta2V5LTMyYnl0ZXM=";
    const OTHER_KEY: &str = "c2Vjb25kLXNlYWxpbmcta2V5LWZvci1yb3RhdGlvbiE=";

    fn sealer() -> Sealer {
        Sealer::new(("k1", KEY), &[]).unwrap()
    }

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
        let sealer = sealer();
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
        let sealer = sealer();
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
    fn after_a_rotation_old_values_open_with_the_retired_key_and_new_ones_use_the_new_key() {
        let before = sealer();
        let old = before.seal("wf_1", &saga());
        let after = Sealer::new(("k2", OTHER_KEY), &[("k1", KEY)]).unwrap();
        assert_eq!(after.open("wf_1", &old).unwrap(), saga());
        let new = after.seal("wf_1", &saga());
        assert!(matches!(
            before.open("wf_1", &new),
            Err(SealError::UnknownKey(id)) if id == "k2"
        ));
        let dropped = Sealer::new(("k2", OTHER_KEY), &[]).unwrap();
        assert!(matches!(
            dropped.open("wf_1", &old),
            Err(SealError::UnknownKey(id)) if id == "k1"
        ));
    }

    #[test]
    fn a_reseal_moves_a_value_to_the_current_key_in_its_context() {
        let before = sealer();
        let old = before.seal("wf_1", &saga());
        assert_eq!(Sealer::key_id_of(&old), Some("k1"));
        let after = Sealer::new(("k2", OTHER_KEY), &[("k1", KEY)]).unwrap();
        assert_eq!(after.current_key_id(), "k2");
        let new = after.reseal(b"wf_1", &old).unwrap().expect("resealed");
        assert_eq!(Sealer::key_id_of(&new), Some("k2"));
        let only_new = Sealer::new(("k2", OTHER_KEY), &[]).unwrap();
        assert_eq!(only_new.open("wf_1", &new).unwrap(), saga());
        assert_eq!(after.reseal(b"wf_1", &new).unwrap(), None);
        assert!(matches!(
            after.reseal(b"wf_2", &old),
            Err(SealError::Unauthentic)
        ));
        assert!(matches!(
            only_new.reseal(b"wf_1", &old),
            Err(SealError::UnknownKey(id)) if id == "k1"
        ));
        assert_eq!(Sealer::key_id_of(b"not sealed"), None);
    }

    #[test]
    fn a_value_naming_the_right_key_id_but_sealed_with_another_key_does_not_open() {
        let impostor = Sealer::new(("k1", OTHER_KEY), &[]).unwrap();
        let sealed = impostor.seal("wf_1", &saga());
        assert!(matches!(
            sealer().open("wf_1", &sealed),
            Err(SealError::Unauthentic)
        ));
        for short in [&[][..], &[2][..], &[2, 5, b'k'][..]] {
            assert!(matches!(
                sealer().open("wf_1", short),
                Err(SealError::Unauthentic)
            ));
        }
    }

    #[test]
    fn sealed_bytes_open_only_in_their_context() {
        let sealer = sealer();
        let sealed = sealer.seal_bytes(b"usr_1", b"alice");
        assert!(!String::from_utf8_lossy(&sealed).contains("alice"));
        assert_eq!(sealer.open_bytes(b"usr_1", &sealed).unwrap(), b"alice");
        assert!(matches!(
            sealer.open_bytes(b"usr_2", &sealed),
            Err(SealError::Unauthentic)
        ));
    }

    #[test]
    fn bad_keys_and_key_ids_are_refused() {
        for (id, key) in [
            ("k1", "c2hvcnQ="),
            ("k1", "not base64!"),
            ("", KEY),
            ("with space", KEY),
            ("a-very-long-key-id-of-more-than-32-bytes", KEY),
        ] {
            assert!(
                matches!(Sealer::new((id, key), &[]), Err(SealError::BadKey(_))),
                "{id:?}"
            );
        }
    }
}
