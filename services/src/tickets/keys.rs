//! The identifiers and secrets of a ticket: the random user id, and the authorization and
//! refresh keys (256 random bits each), of which Onboard keeps only SHA-256 hashes.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use onboard_workflows::domain::ParseError;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Random bytes in a key: 256 bits, beyond any guessing.
const KEY_BYTES: usize = 32;
/// A key's length as sent: unpadded base64url of [`KEY_BYTES`].
pub const KEY_CHARS: usize = 43;
/// What every user id starts with.
const USER_ID_PREFIX: &str = "usr_";

/// A user's id: `usr_` and 32 lower-case hex digits, random (never derived from the
/// username), so that it tells nothing about the user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserId(String);

impl UserId {
    /// A new random user id.
    pub fn random() -> UserId {
        UserId(format!("{USER_ID_PREFIX}{}", uuid::Uuid::new_v4().simple()))
    }

    /// Parses a user id as the API received it.
    pub fn parse(raw: &str) -> Result<UserId, ParseError> {
        let valid = raw.strip_prefix(USER_ID_PREFIX).is_some_and(|hex| {
            hex.len() == 32
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        if !valid {
            return Err(ParseError::new(
                "user_id",
                "must be usr_ and 32 lower-case hex digits",
            ));
        }
        Ok(UserId(raw.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An authorization or refresh key: 256 random bits as 43 base64url characters. Its
/// `Debug` is a mask; only [`TicketKey::hash`] reaches a store.
#[derive(Clone, PartialEq, Eq)]
pub struct TicketKey(String);

impl TicketKey {
    /// A new random key, from the operating system's generator by way of `rand`'s
    /// thread-local cryptographically secure one.
    pub fn random() -> TicketKey {
        let mut bytes = [0u8; KEY_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        TicketKey(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Parses a key as the API received it in `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<TicketKey, ParseError> {
        let valid = raw.len() == KEY_CHARS
            && URL_SAFE_NO_PAD
                .decode(raw)
                .is_ok_and(|bytes| bytes.len() == KEY_BYTES);
        if !valid {
            return Err(ParseError::new(
                field,
                "must be 43 base64url characters (a key Onboard issued)",
            ));
        }
        Ok(TicketKey(raw.to_owned()))
    }

    /// The hex SHA-256 of the key: what the store keeps. The key has 256 random bits, so a
    /// fast hash is enough: there is nothing to guess.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// Whether the key's hash is `stored`, compared in constant time.
    pub fn matches(&self, stored: &str) -> bool {
        self.hash().as_bytes().ct_eq(stored.as_bytes()).into()
    }

    /// The clear key: only for the answer that hands it to the client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TicketKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TicketKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_parse_back_and_hash_to_what_they_match() {
        let key = TicketKey::random();
        assert_eq!(key.expose().len(), KEY_CHARS);
        assert_ne!(key, TicketKey::random());
        let parsed = TicketKey::parse("refresh_key", key.expose()).unwrap();
        assert!(parsed.matches(&key.hash()));
        assert!(!TicketKey::random().matches(&key.hash()));
        assert!(!format!("{key:?}").contains(key.expose()));
    }

    #[test]
    fn malformed_keys_name_their_field() {
        let wrong_length = "x".repeat(42);
        let not_base64 = format!("{}!", "x".repeat(42));
        for bad in ["", wrong_length.as_str(), not_base64.as_str()] {
            let error = TicketKey::parse("authorization_key", bad).unwrap_err();
            assert_eq!(error.field, "authorization_key");
        }
    }

    #[test]
    fn user_ids_are_random_and_strictly_shaped() {
        let id = UserId::random();
        assert_eq!(UserId::parse(id.as_str()).unwrap(), id);
        assert_ne!(id, UserId::random());
        for bad in [
            "",
            "usr_",
            "usr_0123",
            "USR_0123456789abcdef0123456789abcdef",
        ] {
            assert!(UserId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(UserId::parse("usr_0123456789ABCDEF0123456789abcdef").is_err());
    }
}
