//! What can go wrong for the tickets service.

use onboard_actors::store::StoreError;

use super::passwords::Weakness;

/// Why an account or ticket request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    /// The new account's password is too short or easily guessed.
    #[error("the password is too weak")]
    WeakPassword(Weakness),
    /// Another account holds the username.
    #[error("the username is taken")]
    UsernameTaken,
    /// Unknown username or wrong password: one answer for both.
    #[error("the username or password is wrong")]
    InvalidCredentials,
    /// The app id names no app's resource server.
    #[error("unknown app")]
    UnknownApp,
    /// Too many consecutive failed logins for the username.
    #[error("too many failed logins; retry in {retry_after_secs} s")]
    Locked {
        /// Seconds until the lockout ends.
        retry_after_secs: u64,
    },
    /// No such ticket: an unknown or replaced key, another app's ticket, or a revoked
    /// family.
    #[error("the ticket is not valid")]
    TicketInvalid,
    /// The key was current but has expired.
    #[error("the ticket has expired")]
    TicketExpired,
    /// A refresh key that was already used: the family is now revoked.
    #[error("the refresh key was already used; every ticket of its family is revoked")]
    RefreshKeyReused,
    /// The store did not answer.
    #[error("the ticket store is unavailable: {0}")]
    Unavailable(#[from] StoreError),
    /// Hashing a password failed (a fault, not the caller's doing).
    #[error("password hashing failed: {0}")]
    Hashing(String),
}
