//! Account links and virtual service accounts (seed 000): what the linking service keeps.
//!
//! The store never sees a real payment account id in clear. A virtual account holds it
//! sealed, and is found by its own random id (one round trip) or, for the wallet's
//! listing, by a keyed hash of the account (`account_key`). The pairwise rule "one active
//! virtual id per merchant and payment account" is kept under (account key, merchant). A
//! link token is kept only as its SHA-256, for the token's life.
//!
//! Every instant is given by the caller (Unix milliseconds), so that expiry is decided by
//! one clock and can be tested without waiting.

use async_trait::async_trait;

use super::StoreError;

/// A link to create, with its single-use token's hash.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// The link's id.
    pub id: String,
    /// The merchant (caller id) that owns it.
    pub merchant_id: String,
    /// The merchant's reference of its user, sealed (it may be a username).
    pub sealed_user_ref: Vec<u8>,
    /// SHA-256 (hex) of the link token.
    pub token_hash: String,
    /// Creation instant.
    pub created_at_ms: i64,
    /// When the token lapses.
    pub expires_at_ms: i64,
}

/// A link as stored, with the revocation of its virtual account folded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    /// The link's id.
    pub id: String,
    /// The merchant that owns it.
    pub merchant_id: String,
    /// The merchant's user reference, sealed.
    pub sealed_user_ref: Vec<u8>,
    /// Creation instant.
    pub created_at_ms: i64,
    /// Instant of the last change (exchange, completion, revocation).
    pub updated_at_ms: i64,
    /// When the token lapses (or lapsed).
    pub expires_at_ms: i64,
    /// The virtual account minted (or reused) when the wallet exchanged the token.
    pub virtual_account_id: Option<String>,
    /// Whether the merchant completed the link.
    pub linked: bool,
    /// Whether the wallet revoked the link's virtual account.
    pub revoked: bool,
}

/// A virtual account to create if the merchant holds none for the account yet.
#[derive(Debug, Clone)]
pub struct NewVirtualAccount {
    /// Its random id.
    pub id: String,
    /// The real payment account, sealed (bound to `id`).
    pub sealed_account: Vec<u8>,
    /// A keyed hash of the real payment account, for the pairwise rule and the listing.
    pub account_key: String,
    /// The wallet (caller id) that vouches for it.
    pub wallet_id: String,
    /// Creation instant.
    pub created_at_ms: i64,
}

/// A virtual account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVirtualAccount {
    /// Its id.
    pub id: String,
    /// The merchant it was minted for.
    pub merchant_id: String,
    /// The wallet that vouched for it.
    pub wallet_id: String,
    /// The real payment account, sealed; `None` once retention forgot it (a retention
    /// period after the revocation).
    pub sealed_account: Option<Vec<u8>>,
    /// Creation instant.
    pub created_at_ms: i64,
    /// When the wallet revoked it, if it did.
    pub revoked_at_ms: Option<i64>,
}

/// What exchanging a link token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchanged {
    /// The token was live and is now used; the link carries this virtual account, minted
    /// now or the merchant's active one for the same payment account.
    Minted {
        /// The virtual account.
        virtual_account_id: String,
        /// The merchant of the link.
        merchant_id: String,
    },
    /// No live token has this hash (unknown, used or expired); nothing was written.
    NotFound,
}

/// What completing a link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completed {
    /// The link is linked to the virtual account (now or already).
    Linked(StoredLink),
    /// The merchant has no such link.
    NotFound,
    /// The virtual account was not minted for this link; nothing was written.
    Mismatch,
}

/// What revoking a virtual account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    /// It is revoked (now or already).
    Revoked,
    /// The wallet has no such virtual account.
    NotFound,
}

/// Links and virtual accounts.
#[async_trait]
pub trait LinkStore: Send + Sync {
    /// Stores a pending link and its token (kept until `expires_at_ms`).
    async fn create_link(&self, link: &NewLink) -> Result<(), StoreError>;

    /// The link `id`, whoever owns it.
    async fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError>;

    /// Uses the live token `token_hash` at `now_ms`: the link's merchant gets its active
    /// virtual account for `candidate.account_key`, or `candidate` becomes it. One atomic
    /// step: the token is spent exactly when the link records the virtual account.
    async fn exchange(
        &self,
        token_hash: &str,
        candidate: &NewVirtualAccount,
        now_ms: i64,
    ) -> Result<Exchanged, StoreError>;

    /// Links `merchant_id`'s link `link_id` to `virtual_account_id` if the exchange
    /// minted that one for it.
    async fn complete(
        &self,
        link_id: &str,
        merchant_id: &str,
        virtual_account_id: &str,
        now_ms: i64,
    ) -> Result<Completed, StoreError>;

    /// The virtual account `id`, in one round trip.
    async fn virtual_account(&self, id: &str) -> Result<Option<StoredVirtualAccount>, StoreError>;

    /// Every virtual account (active or revoked) minted for the payment account whose
    /// keyed hash is `account_key`, oldest first.
    async fn virtual_accounts_of(
        &self,
        account_key: &str,
    ) -> Result<Vec<StoredVirtualAccount>, StoreError>;

    /// Revokes `wallet_id`'s virtual account `id` at `now_ms`: service requests with it are
    /// refused from then on, and the merchant's next link for the account mints a new one.
    /// A retention period later the real account is forgotten
    /// ([`super::RetentionStore::forget_revoked_accounts`]).
    async fn revoke(&self, id: &str, wallet_id: &str, now_ms: i64) -> Result<Revoked, StoreError>;
}
