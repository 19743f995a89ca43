//! A user's credentials as they arrive: a username and a password, parsed at the edge.
//! Neither ever prints: their `Debug` and `Display` are masks, so no log line can hold
//! them by accident.

use std::fmt;

use hmac::{Hmac, Mac};
use onboard_workflows::domain::{is_invisible, ParseError};
use sha2::Sha256;
use unicode_normalization::UnicodeNormalization;

/// The shortest username, in characters.
pub const USERNAME_MIN_CHARS: usize = 3;
/// The longest username, in characters.
pub const USERNAME_MAX_CHARS: usize = 64;
/// The longest password, in characters: long passphrases are welcome (NIST SP 800-63B
/// asks for at least 64), only absurd bodies are refused.
pub const PASSWORD_MAX_CHARS: usize = 256;

/// What the keyed lookup hash of a username is computed over, before the username: keeps
/// it apart from every other use of the same HMAC key.
const LOOKUP_CONTEXT: &[u8] = b"onboard/username-lookup/v1\0";

/// A username: NFKC-normalised, trimmed, 3–64 characters, none of them whitespace or
/// control characters. Usernames are told apart case-insensitively.
#[derive(Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Parses a username.
    pub fn parse(raw: &str) -> Result<Username, ParseError> {
        const FIELD: &str = "username";
        let value: String = raw.trim().nfkc().collect();
        let chars = value.chars().count();
        if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&chars) {
            return Err(ParseError::new(FIELD, "must be 3 to 64 characters"));
        }
        if value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
        {
            return Err(ParseError::new(
                FIELD,
                "must not contain spaces, control or invisible characters",
            ));
        }
        Ok(Username(value))
    }

    /// The keyed hash by which the account is found (hex HMAC-SHA256 of the lower-cased
    /// username): the store never holds the username in clear, and without the key the
    /// hash cannot be tested against a list of guesses.
    pub fn lookup(&self, key: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(LOOKUP_CONTEXT);
        mac.update(self.0.to_lowercase().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The clear username: only to be sealed, or given to the strength estimator.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Username(***)")
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A password: NFKC-normalised (so that one typed on another keyboard still matches, as
/// NIST SP 800-63B advises), at most 256 characters. Its strength is judged apart, only
/// when an account is created.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Parses a password; any content is taken, only its length is bounded.
    pub fn parse(raw: &str) -> Result<Password, ParseError> {
        let value: String = raw.nfkc().collect();
        if value.chars().count() > PASSWORD_MAX_CHARS {
            return Err(ParseError::new(
                "password",
                "must be at most 256 characters",
            ));
        }
        Ok(Password(value))
    }

    /// The clear password: only for the hasher and the strength estimator.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"a test key of thirty-two bytes!!";

    #[test]
    fn usernames_are_bounded_and_visible() {
        assert!(Username::parse("alice").is_ok());
        assert!(Username::parse("  李小雷  ").is_ok());
        for bad in [
            "",
            "ab",
            "a b c",
            "tab\there",
            "zero\u{200b}width",
            &"x".repeat(65),
        ] {
            let error = Username::parse(bad).unwrap_err();
            assert_eq!(error.field, "username", "{bad:?}");
        }
    }

    #[test]
    fn lookups_ignore_case_and_compatibility_forms_but_depend_on_the_key() {
        let alice = Username::parse("Alice").unwrap().lookup(KEY);
        assert_eq!(Username::parse("aLICE").unwrap().lookup(KEY), alice);
        // Full-width letters normalise to the same username.
        assert_eq!(Username::parse("ＡＬＩＣＥ").unwrap().lookup(KEY), alice);
        assert_ne!(Username::parse("alice2").unwrap().lookup(KEY), alice);
        let other_key = b"another key of thirty-two bytes!";
        assert_ne!(Username::parse("alice").unwrap().lookup(other_key), alice);
        assert!(!alice.contains("alice"));
    }

    #[test]
    fn neither_credential_prints() {
        let username = Username::parse("alice").unwrap();
        let password = Password::parse("correct horse battery staple").unwrap();
        let printed = format!("{username:?} {username} {password:?}");
        assert!(
            !printed.contains("alice") && !printed.contains("horse"),
            "{printed}"
        );
    }

    #[test]
    fn passwords_are_bounded_only_in_length() {
        assert!(Password::parse("").is_ok());
        assert!(Password::parse(&"é".repeat(256)).is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(257)).unwrap_err().field,
            "password"
        );
    }
}
