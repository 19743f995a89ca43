//! What the linking service answers: links for merchants, virtual accounts for wallets.
//! Neither ever carries the real payment account.

use chrono::{DateTime, Utc};
use onboard_workflows::domain::{LinkId, VirtualAccountId};

/// Where a link stands, as API.md spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// Created; the token is live, or was exchanged and awaits the merchant's completion.
    Pending,
    /// The merchant completed it with the virtual account.
    Linked,
    /// Its token lapsed unused.
    Expired,
    /// The wallet revoked its virtual account.
    Revoked,
}

impl LinkStatus {
    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Pending => "pending",
            LinkStatus::Linked => "linked",
            LinkStatus::Expired => "expired",
            LinkStatus::Revoked => "revoked",
        }
    }
}

/// A link as its merchant sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkView {
    /// The link.
    pub id: LinkId,
    /// The merchant's reference of its user (opened from its seal for the merchant).
    pub merchant_user_ref: String,
    /// Where it stands.
    pub status: LinkStatus,
    /// The virtual account, once linked (also once revoked).
    pub virtual_account_id: Option<VirtualAccountId>,
    /// When the token lapses (or lapsed).
    pub expires_at: DateTime<Utc>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}

/// What the wallet's exchange of a token gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minted {
    /// The merchant's virtual account for the payment account.
    pub virtual_account_id: VirtualAccountId,
    /// The merchant it stands for.
    pub merchant_id: String,
}

/// Whether a virtual account still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VirtualAccountStatus {
    /// Service requests with it are accepted.
    Active,
    /// The wallet revoked it.
    Revoked,
}

impl VirtualAccountStatus {
    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            VirtualAccountStatus::Active => "active",
            VirtualAccountStatus::Revoked => "revoked",
        }
    }
}

/// A virtual account as the wallet's settings screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualAccountView {
    /// The virtual account.
    pub virtual_account_id: VirtualAccountId,
    /// The merchant it was minted for.
    pub merchant_id: String,
    /// Whether it still works.
    pub status: VirtualAccountStatus,
    /// When it was minted.
    pub created_at: DateTime<Utc>,
}
