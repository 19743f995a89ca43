//! What can go wrong for the linking service.

use onboard_actors::seal::SealError;
use onboard_actors::store::StoreError;

/// Why a linking request was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The link token is unknown, used, expired or malformed: one answer for all.
    #[error("no live link has this token")]
    TokenNotFound,
    /// The caller has no such link or virtual account (another caller's reads the same).
    #[error("not found")]
    NotFound,
    /// The virtual account was not minted for this link.
    #[error("the virtual account was not minted for this link")]
    Mismatch,
    /// The wallet revoked the virtual account.
    #[error("the virtual account was revoked")]
    Revoked,
    /// The store did not answer.
    #[error("the link store is unavailable: {0}")]
    Unavailable(#[from] StoreError),
    /// A sealed value did not open (a key was dropped, or the data was altered).
    #[error("a sealed link value cannot be opened: {0}")]
    Sealed(#[from] SealError),
}
