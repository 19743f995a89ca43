//! Password hashing (argon2id with OWASP's parameters) and strength checks (zxcvbn), run
//! on the blocking pool so that they never stall an HTTP worker, and a bounded number at a
//! time so that a burst of logins cannot take all the memory (19 MiB each).

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use tokio::sync::Semaphore;

use super::credentials::{Password, Username};
use super::TicketError;

/// Memory of one hash, KiB: OWASP's argon2id recommendation (19 MiB, t=2, p=1).
const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over the memory.
const ITERATIONS: u32 = 2;
/// Lanes.
const PARALLELISM: u32 = 1;
/// The shortest password accepted for a new account.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// The lowest zxcvbn score (0–4) accepted: 3 means "safely unguessable: moderate
/// protection from offline slow-hash scenario" (at least 10^8 guesses).
const MIN_SCORE: u8 = 3;
/// The characters of a password the estimator looks at: its cost grows quickly with the
/// length, and a password weak in its first hundred characters is weak.
const ESTIMATED_CHARS: usize = 100;

/// Why a password was refused for a new account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Shorter than [`PASSWORD_MIN_CHARS`].
    TooShort,
    /// A common password, a keyboard walk, a variation of the username, …
    EasilyGuessed,
}

/// Hashes and verifies passwords off the async workers.
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when the username is unknown, so that
    /// an unknown username costs what a wrong password costs.
    decoy: Arc<str>,
}

impl PasswordHasher {
    /// A hasher running at most `concurrency` hashes at once (at least one). Computes the
    /// decoy hash, which takes one hash's time.
    pub fn new(concurrency: usize) -> PasswordHasher {
        let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
            .expect("OWASP's argon2id parameters are valid");
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut decoy = [0u8; 32];
        rand::rng().fill_bytes(&mut decoy);
        let decoy = hash_with(&argon2, &hex::encode(decoy)).expect("hashing a decoy succeeds");
        PasswordHasher {
            argon2,
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            decoy: Arc::from(decoy),
        }
    }

    /// The argon2id hash (PHC string) of a password strong enough for `username`; a weak
    /// one is refused with [`TicketError::WeakPassword`].
    pub async fn hash_new(
        &self,
        username: &Username,
        password: Password,
    ) -> Result<String, TicketError> {
        let username = username.expose().to_owned();
        let argon2 = self.argon2.clone();
        self.blocking(move || match weakness(&username, &password) {
            Some(weakness) => Err(TicketError::WeakPassword(weakness)),
            None => hash_with(&argon2, password.expose()),
        })
        .await
    }

    /// Whether `password` is the one hashed in `stored`; with no stored hash (an unknown
    /// username) the decoy is verified instead and the answer is `false`.
    pub async fn verify(
        &self,
        password: Password,
        stored: Option<String>,
    ) -> Result<bool, TicketError> {
        let argon2 = self.argon2.clone();
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| self.decoy.to_string());
        self.blocking(move || {
            let parsed =
                PasswordHash::new(&hash).map_err(|e| TicketError::Hashing(e.to_string()))?;
            let matches = argon2
                .verify_password(password.expose().as_bytes(), &parsed)
                .is_ok();
            Ok(known && matches)
        })
        .await
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, TicketError> + Send + 'static,
    ) -> Result<T, TicketError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|e| TicketError::Hashing(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let outcome = work();
            drop(permit);
            outcome
        })
        .await
        .map_err(|e| TicketError::Hashing(e.to_string()))?
    }
}

fn hash_with(argon2: &Argon2<'_>, password: &str) -> Result<String, TicketError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| TicketError::Hashing(e.to_string()))?;
    argon2
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| TicketError::Hashing(e.to_string()))
}

/// Why `password` is too weak for an account named `username`, if it is.
fn weakness(username: &str, password: &Password) -> Option<Weakness> {
    let password = password.expose();
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Some(Weakness::TooShort);
    }
    let estimated: String = password.chars().take(ESTIMATED_CHARS).collect();
    let lower = username.to_lowercase();
    let score = u8::from(zxcvbn::zxcvbn(&estimated, &[username, lower.as_str()]).score());
    (score < MIN_SCORE).then_some(Weakness::EasilyGuessed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> Password {
        Password::parse(text).unwrap()
    }

    #[test]
    fn short_common_walked_and_username_passwords_are_weak() {
        let name = "marguerite";
        for (text, expected) in [
            ("Tr0ub4!", Weakness::TooShort),
            ("password123", Weakness::EasilyGuessed),
            ("qwertyuiop", Weakness::EasilyGuessed),
            ("1234567890", Weakness::EasilyGuessed),
            ("marguerite1", Weakness::EasilyGuessed),
            ("aaaaaaaaaaaaaaaa", Weakness::EasilyGuessed),
        ] {
            assert_eq!(weakness(name, &password(text)), Some(expected), "{text}");
        }
        for strong in ["correct horse battery staple", "vX9#mQ2!pL7@wR4z"] {
            assert_eq!(weakness(name, &password(strong)), None, "{strong}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_unknown_users_never_match() {
        let hasher = PasswordHasher::new(2);
        let username = Username::parse("marguerite").unwrap();
        let secret = "correct horse battery staple";
        let hash = hasher
            .hash_new(&username, password(secret))
            .await
            .expect("strong");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains(secret));
        assert!(hasher
            .verify(password(secret), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!hasher
            .verify(password("wrong horse"), Some(hash))
            .await
            .unwrap());
        assert!(!hasher.verify(password(secret), None).await.unwrap());
    }
}
