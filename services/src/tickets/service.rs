//! The tickets service: accounts, logins with a growing lockout, and ticket families that
//! verify, rotate, detect reuse and are revoked.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use onboard_actors::seal::Sealer;
use onboard_actors::store::{
    AccountCreated, FamilyId, FamilyKeys, LockoutPolicy, NewAccount, Rotation, StoreError,
    TicketStore,
};

use super::credentials::{Password, Username};
use super::keys::{TicketKey, UserId};
use super::passwords::PasswordHasher;
use super::TicketError;
use crate::instant::instant;

/// Consecutive failed logins before a username is locked out (the API's contract).
const LOCKOUT_THRESHOLD: u64 = 10;
/// The longest lockout: it doubles per further failure up to here.
const LOCKOUT_MAX_MS: u64 = 60 * 60 * 1000;
/// How long failures are remembered after the last one.
const FAILURES_FORGOTTEN_AFTER_MS: u64 = 24 * 60 * 60 * 1000;
/// How long a family's record outlives its refresh key, so that a late refresh reads as
/// expired and an old key as reused rather than unknown.
const FAMILY_RETAINED_MS: i64 = 24 * 60 * 60 * 1000;

/// The service's configuration (the `tickets` settings and the apps).
#[derive(Debug, Clone)]
pub struct TicketParams {
    /// Life of an authorization key.
    pub authorization_ttl_secs: u64,
    /// Life of a refresh key.
    pub refresh_ttl_secs: u64,
    /// The first lockout after [`LOCKOUT_THRESHOLD`] failures; each further failure
    /// doubles it, up to an hour.
    pub lockout_base_secs: u64,
    /// The app ids tickets may be issued for: the caller ids of the apps' resource servers.
    pub apps: Vec<String>,
}

/// A ticket as the client receives it. The keys are in clear here, and only here.
#[derive(Debug, Clone)]
pub struct Ticket {
    /// The user.
    pub user_id: UserId,
    /// Presented to the app's resource server, which verifies it with Onboard.
    pub authorization_key: TicketKey,
    /// Presented to Onboard to get a new ticket when the authorization key fails.
    pub refresh_key: TicketKey,
    /// When the authorization key expires.
    pub expires_at: DateTime<Utc>,
    /// When the refresh key expires.
    pub refresh_expires_at: DateTime<Utc>,
}

/// A verified ticket.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Whose ticket it is.
    pub user_id: UserId,
    /// The app it was issued to (the verifying app).
    pub app_id: String,
    /// When its authorization key expires.
    pub expires_at: DateTime<Utc>,
}

/// Accounts and tickets, over the ticket store.
pub struct Tickets {
    store: Arc<dyn TicketStore>,
    sealer: Sealer,
    lookup_key: Vec<u8>,
    apps: HashSet<String>,
    hasher: PasswordHasher,
    settings: TicketParams,
    lockout: LockoutPolicy,
}

impl Tickets {
    /// The service over `store`; usernames are sealed with `sealer` and found by their
    /// HMAC under `lookup_key`. Computes one decoy password hash.
    pub fn new(
        store: Arc<dyn TicketStore>,
        sealer: Sealer,
        lookup_key: Vec<u8>,
        settings: TicketParams,
    ) -> Tickets {
        let concurrency = std::thread::available_parallelism().map_or(1, usize::from);
        Tickets {
            store,
            sealer,
            lookup_key,
            apps: settings.apps.iter().cloned().collect(),
            hasher: PasswordHasher::new(concurrency),
            lockout: LockoutPolicy {
                threshold: LOCKOUT_THRESHOLD,
                base_ms: settings.lockout_base_secs.saturating_mul(1000),
                max_ms: LOCKOUT_MAX_MS.max(settings.lockout_base_secs.saturating_mul(1000)),
                forget_after_ms: FAILURES_FORGOTTEN_AFTER_MS,
            },
            settings,
        }
    }

    /// Creates an account; answers its new user id.
    pub async fn register(
        &self,
        username: &Username,
        password: Password,
    ) -> Result<UserId, TicketError> {
        let password_hash = self.hasher.hash_new(username, password).await?;
        let user_id = UserId::random();
        let account = NewAccount {
            lookup: username.lookup(&self.lookup_key),
            user_id: user_id.as_str().to_owned(),
            sealed_username: self
                .sealer
                .seal_bytes(user_id.as_str().as_bytes(), username.expose().as_bytes()),
            password_hash,
        };
        match self.store.create_account(&account).await? {
            AccountCreated::Created => {
                tracing::info!("account created");
                Ok(user_id)
            }
            AccountCreated::Taken => Err(TicketError::UsernameTaken),
        }
    }

    /// Logs in for `app_id`: a new ticket family for the user and app, replacing any
    /// earlier one. An unknown username costs the same password hash as a wrong password;
    /// both count against the username, and from the tenth consecutive failure on the
    /// username is locked out for a time that doubles with each further failure.
    pub async fn issue(
        &self,
        username: &Username,
        password: Password,
        app_id: &str,
    ) -> Result<Ticket, TicketError> {
        self.known_app(app_id)?;
        let lookup = username.lookup(&self.lookup_key);
        let state = self.store.login_state(&lookup).await?;
        let now = now_ms();
        if let Some(until) = state.locked_until_ms.filter(|until| *until > now) {
            tracing::info!(app_id, "login refused: username locked out");
            return Err(TicketError::Locked {
                retry_after_secs: seconds_until(now, until),
            });
        }
        let (user_id, stored_hash) = match state.account {
            Some(account) => (Some(account.user_id), Some(account.password_hash)),
            None => (None, None),
        };
        let matches = self.hasher.verify(password, stored_hash).await?;
        let Some(user_id) = user_id.filter(|_| matches) else {
            let failures = self
                .store
                .record_login_failure(&lookup, now_ms(), &self.lockout)
                .await?;
            tracing::info!(app_id, failures, "login failed");
            return Err(TicketError::InvalidCredentials);
        };
        if state.failures > 0 {
            self.store.clear_login_failures(&lookup).await?;
        }
        let user_id = UserId::parse(&user_id).map_err(|_| {
            TicketError::Unavailable(StoreError::Corrupt("a stored user id is malformed".into()))
        })?;
        let family = family(&user_id, app_id);
        let (ticket, keys) = self.new_ticket(user_id, now_ms());
        self.store.start_family(&family, &keys).await?;
        tracing::info!(app_id, "ticket issued");
        Ok(ticket)
    }

    /// Verifies a ticket for the app `app_id` that presents it: valid only when it is the
    /// current authorization key of that user's family for that very app. One store read.
    pub async fn verify(
        &self,
        app_id: &str,
        user_id: &UserId,
        key: &TicketKey,
    ) -> Result<Verified, TicketError> {
        let current = self
            .store
            .authorization(&family(user_id, app_id))
            .await?
            .filter(|current| key.matches(&current.key_hash))
            .ok_or(TicketError::TicketInvalid)?;
        if current.expires_ms <= now_ms() {
            return Err(TicketError::TicketExpired);
        }
        Ok(Verified {
            user_id: user_id.clone(),
            app_id: app_id.to_owned(),
            expires_at: instant(current.expires_ms),
        })
    }

    /// Rotates both keys of the family whose current refresh key is `refresh_key`. A
    /// refresh key that was already rotated away revokes the family, newest ticket
    /// included.
    pub async fn refresh(
        &self,
        user_id: &UserId,
        app_id: &str,
        refresh_key: &TicketKey,
    ) -> Result<Ticket, TicketError> {
        self.known_app(app_id)?;
        let now = now_ms();
        let (ticket, keys) = self.new_ticket(user_id.clone(), now);
        let family = family(user_id, app_id);
        match self
            .store
            .rotate(&family, &refresh_key.hash(), &keys, now)
            .await?
        {
            Rotation::Rotated => {
                tracing::info!(app_id, "ticket refreshed");
                Ok(ticket)
            }
            Rotation::Reused => {
                tracing::warn!(app_id, "refresh key reused: ticket family revoked");
                Err(TicketError::RefreshKeyReused)
            }
            Rotation::Expired => Err(TicketError::TicketExpired),
            Rotation::Invalid => Err(TicketError::TicketInvalid),
        }
    }

    /// Revokes (logs out) the family that `refresh_key` belongs to.
    pub async fn revoke(
        &self,
        user_id: &UserId,
        app_id: &str,
        refresh_key: &TicketKey,
    ) -> Result<(), TicketError> {
        self.known_app(app_id)?;
        let family = family(user_id, app_id);
        if self
            .store
            .revoke_family(&family, &refresh_key.hash())
            .await?
        {
            tracing::info!(app_id, "ticket family revoked");
            Ok(())
        } else {
            Err(TicketError::TicketInvalid)
        }
    }

    fn known_app(&self, app_id: &str) -> Result<(), TicketError> {
        if self.apps.contains(app_id) {
            Ok(())
        } else {
            Err(TicketError::UnknownApp)
        }
    }

    /// Fresh keys for `user_id` issued at `now`: the ticket for the client, the hashes
    /// for the store.
    fn new_ticket(&self, user_id: UserId, now: i64) -> (Ticket, FamilyKeys) {
        let authorization_key = TicketKey::random();
        let refresh_key = TicketKey::random();
        let expires_ms = after_secs(now, self.settings.authorization_ttl_secs);
        let refresh_expires_ms = after_secs(now, self.settings.refresh_ttl_secs);
        let keys = FamilyKeys {
            authorization_hash: authorization_key.hash(),
            authorization_expires_ms: expires_ms,
            refresh_hash: refresh_key.hash(),
            refresh_expires_ms,
            retain_until_ms: refresh_expires_ms
                .max(expires_ms)
                .saturating_add(FAMILY_RETAINED_MS),
        };
        let ticket = Ticket {
            user_id,
            authorization_key,
            refresh_key,
            expires_at: instant(expires_ms),
            refresh_expires_at: instant(refresh_expires_ms),
        };
        (ticket, keys)
    }
}

fn family(user_id: &UserId, app_id: &str) -> FamilyId {
    FamilyId {
        user_id: user_id.as_str().to_owned(),
        app_id: app_id.to_owned(),
    }
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// `secs` seconds after `from_ms`, saturating.
fn after_secs(from_ms: i64, secs: u64) -> i64 {
    from_ms.saturating_add(i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX))
}

/// Whole seconds from `now_ms` until `until_ms`, at least one (a `Retry-After`).
fn seconds_until(now_ms: i64, until_ms: i64) -> u64 {
    u64::try_from(until_ms.saturating_sub(now_ms))
        .unwrap_or(0)
        .div_ceil(1000)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(seconds_until(1_000, 1_001), 1);
        assert_eq!(seconds_until(1_000, 3_000), 2);
        assert_eq!(seconds_until(1_000, 3_001), 3);
        assert_eq!(seconds_until(5_000, 1_000), 1);
    }

    #[test]
    fn instants_saturate() {
        assert_eq!(after_secs(1_000, 2), 3_000);
        assert_eq!(after_secs(1_000, u64::MAX), i64::MAX);
    }
}
