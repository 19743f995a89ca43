//! Accounts and ticket families (seed 003): what the account-management service keeps.
//!
//! The store never sees a clear username, password or key: an account is found by a keyed
//! hash of its username and holds the username sealed; a family holds the SHA-256 of its
//! current authorization and refresh keys and of every refresh key it already rotated
//! away, so that presenting one of those again is recognised as reuse.
//!
//! Every instant is given by the caller (Unix milliseconds), so that expiry is decided by
//! one clock and can be tested without waiting.

use async_trait::async_trait;

use super::StoreError;

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The keyed hash of the normalised username, by which the account is found.
    pub lookup: String,
    /// The account's random user id.
    pub user_id: String,
    /// The username, sealed: kept so that an operator can recover it, never read to log in.
    pub sealed_username: Vec<u8>,
    /// The password's argon2id hash, in PHC string format.
    pub password_hash: String,
}

/// Whether an account was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountCreated {
    /// The account now exists.
    Created,
    /// Another account holds the username; nothing was written.
    Taken,
}

/// What logging in needs of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    /// The account's user id.
    pub user_id: String,
    /// The password's hash, in PHC string format.
    pub password_hash: String,
}

/// What a login attempt reads in one round trip: the account, if any, and the username's
/// consecutive failures (counted whether or not the account exists, so that a lockout
/// does not reveal which usernames are taken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginState {
    /// The account of the username, if one exists.
    pub account: Option<StoredAccount>,
    /// Consecutive failed logins since the last success (forgotten after a quiet while).
    pub failures: u64,
    /// The instant (Unix ms) until which logins are refused, if a lockout was set.
    pub locked_until_ms: Option<i64>,
}

/// How failed logins lock a username out: from the `threshold`-th consecutive failure on,
/// each failure locks it for `base_ms` doubled per failure past the threshold, at most
/// `max_ms`. The count is forgotten `forget_after_ms` after the last failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures before the first lockout.
    pub threshold: u64,
    /// The first lockout.
    pub base_ms: u64,
    /// The longest lockout.
    pub max_ms: u64,
    /// How long a count outlives its last failure.
    pub forget_after_ms: u64,
}

impl LockoutPolicy {
    /// How long the `failures`-th consecutive failure locks the username: nothing below
    /// the threshold, then doubling from `base_ms`, capped at `max_ms`.
    pub fn lock_ms(&self, failures: u64) -> u64 {
        if failures < self.threshold {
            return 0;
        }
        let doublings = u32::try_from(failures - self.threshold)
            .unwrap_or(u32::MAX)
            .min(32);
        self.base_ms
            .saturating_mul(1_u64 << doublings)
            .min(self.max_ms)
    }
}

/// One ticket family: the tickets of one user for one app, each refresh replacing the last.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FamilyId {
    /// The user.
    pub user_id: String,
    /// The app (the caller id of its resource server).
    pub app_id: String,
}

/// The current keys of a family, as hashes, and how long they and the family live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyKeys {
    /// Hex SHA-256 of the authorization key.
    pub authorization_hash: String,
    /// When the authorization key expires (Unix ms).
    pub authorization_expires_ms: i64,
    /// Hex SHA-256 of the refresh key.
    pub refresh_hash: String,
    /// When the refresh key expires (Unix ms).
    pub refresh_expires_ms: i64,
    /// Until when the family's record is kept (Unix ms): past the refresh key's expiry, so
    /// that a late refresh reads as expired and an old key as reused, not as unknown.
    pub retain_until_ms: i64,
}

/// The current authorization key of a live (not revoked) family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Hex SHA-256 of the key.
    pub key_hash: String,
    /// When it expires (Unix ms).
    pub expires_ms: i64,
}

/// What presenting a refresh key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// It was the family's current key: both keys were replaced.
    Rotated,
    /// It was a key the family had already rotated away: the family is now revoked.
    Reused,
    /// It was the current key, but it has expired; nothing changed.
    Expired,
    /// No family, a revoked family, or a key the family never had; nothing changed.
    Invalid,
}

/// Accounts, their login failures, and ticket families.
#[async_trait]
pub trait TicketStore: Send + Sync + 'static {
    /// Creates an account unless its username (`lookup`) is taken.
    async fn create_account(&self, account: &NewAccount) -> Result<AccountCreated, StoreError>;

    /// The account and the failure count of a username, in one round trip.
    async fn login_state(&self, lookup: &str) -> Result<LoginState, StoreError>;

    /// Counts one more failed login of a username at `now_ms` and locks it out as `policy`
    /// says; answers the consecutive failures so far. Atomic, so concurrent failures are
    /// all counted.
    async fn record_login_failure(
        &self,
        lookup: &str,
        now_ms: i64,
        policy: &LockoutPolicy,
    ) -> Result<u64, StoreError>;

    /// Forgets the failures of a username after a successful login.
    async fn clear_login_failures(&self, lookup: &str) -> Result<(), StoreError>;

    /// Starts the family anew with `keys`, replacing (and so logging out) any earlier one.
    async fn start_family(&self, family: &FamilyId, keys: &FamilyKeys) -> Result<(), StoreError>;

    /// The current authorization key of a live family, in one round trip; `None` when the
    /// family does not exist or was revoked.
    async fn authorization(&self, family: &FamilyId) -> Result<Option<Authorization>, StoreError>;

    /// Presents a refresh key (its hash) at `now_ms`; when it is the current one, replaces
    /// both keys with `keys` in one atomic step. A key the family already rotated away
    /// revokes the family. Of two concurrent rotations with one key exactly one rotates;
    /// the other finds the key used.
    async fn rotate(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
        keys: &FamilyKeys,
        now_ms: i64,
    ) -> Result<Rotation, StoreError>;

    /// Revokes the family when `presented_refresh_hash` is one of its refresh keys (the
    /// current one or an earlier one); answers whether it was.
    async fn revoke_family(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
    ) -> Result<bool, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::LockoutPolicy;

    #[test]
    fn lockouts_start_at_the_threshold_double_and_stop_at_the_cap() {
        let policy = LockoutPolicy {
            threshold: 10,
            base_ms: 1_000,
            max_ms: 60_000,
            forget_after_ms: 0,
        };
        assert_eq!(policy.lock_ms(9), 0);
        assert_eq!(policy.lock_ms(10), 1_000);
        assert_eq!(policy.lock_ms(11), 2_000);
        assert_eq!(policy.lock_ms(13), 8_000);
        assert_eq!(policy.lock_ms(16), 60_000);
        assert_eq!(policy.lock_ms(u64::MAX), 60_000);
    }
}
