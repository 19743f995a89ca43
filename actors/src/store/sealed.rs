//! The sealed values at rest, for a key rotation: `onboard rekey` pages through them and
//! replaces each one sealed under an older key with the same value sealed under the
//! current one. A replacement is a compare-and-set, so it never overwrites a value that a
//! running replica wrote meanwhile.

use async_trait::async_trait;

use super::StoreError;

/// What a sealed value is; each kind is sealed bound to its own context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealedKind {
    /// A saga's state, sealed bound to the saga id.
    SagaState,
    /// An account's username, sealed bound to the account's user id.
    Username,
    /// A merchant's user reference on a link, sealed bound to the link id.
    LinkUserRef,
    /// The real payment account behind a virtual account, sealed bound to its id.
    VirtualAccount,
}

impl SealedKind {
    /// Every kind, in the order a rekey walks them.
    pub const ALL: [SealedKind; 4] = [
        SealedKind::SagaState,
        SealedKind::Username,
        SealedKind::LinkUserRef,
        SealedKind::VirtualAccount,
    ];

    /// Its name in a summary or a log line.
    pub fn as_str(self) -> &'static str {
        match self {
            SealedKind::SagaState => "saga_state",
            SealedKind::Username => "username",
            SealedKind::LinkUserRef => "link_user_ref",
            SealedKind::VirtualAccount => "virtual_account",
        }
    }
}

/// One sealed value as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedValue {
    /// Where it is: the saga id, the account's username lookup hash, the link id or the
    /// virtual account id.
    pub key: String,
    /// What it was sealed bound to: the saga id, the account's user id, the link id or the
    /// virtual account id.
    pub context: String,
    /// The sealed bytes.
    pub sealed: Vec<u8>,
}

/// A page of sealed values and where the next one starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SealedPage {
    /// The values of this page.
    pub values: Vec<SealedValue>,
    /// The cursor of the next page; `None` once the walk is done.
    pub next: Option<String>,
}

/// Reading and replacing the sealed values, for key rotation.
#[async_trait]
pub trait SealedStore: Send + Sync + 'static {
    /// A page of about `limit` sealed values of `kind` from `cursor` (`None`: the
    /// start). A walk from the start to the end meets every value that existed for its
    /// whole duration at least once; values written meanwhile may or may not be met.
    async fn sealed_page(
        &self,
        kind: SealedKind,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<SealedPage, StoreError>;

    /// Replaces the sealed value of `kind` at `key` with `new` only if it still is `old`;
    /// answers whether it did. Changes nothing else (a saga's version stays).
    async fn reseal(
        &self,
        kind: SealedKind,
        key: &str,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError>;
}
