//! What retention needs of the embedded store's links, since redb has no expiring keys:
//! the links not exchanged yet by token expiry (deleted a retention period after their
//! token lapsed unused), and the link tokens by expiry (deleted once they lapse).

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::links::{LINKS, LINK_TOKENS};
use super::tables::{earliest, OrEmbedded};
use crate::store::StoreError;

/// (token expiry, link id): the links not exchanged yet.
pub(super) const LAPSING_LINKS: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("lapsing_links");

/// (expiry, SHA-256 of the token): the link tokens not spent yet.
pub(super) const TOKEN_EXPIRY: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("link_token_expiry");

/// Enters a new link and its token, both lapsing at `expires_at_ms`.
pub(super) fn enter(
    txn: &WriteTransaction,
    link_id: &str,
    token_hash: &str,
    expires_at_ms: i64,
) -> Result<(), StoreError> {
    txn.open_table(LAPSING_LINKS)
        .embedded()?
        .insert((expires_at_ms, link_id), ())
        .embedded()?;
    txn.open_table(TOKEN_EXPIRY)
        .embedded()?
        .insert((expires_at_ms, token_hash), ())
        .embedded()?;
    Ok(())
}

/// Forgets a token that was spent (or found lapsed) at exchange.
pub(super) fn token_gone(
    txn: &WriteTransaction,
    token_hash: &str,
    expires_at_ms: i64,
) -> Result<(), StoreError> {
    forget(txn, TOKEN_EXPIRY, expires_at_ms, token_hash)
}

/// Takes an exchanged link off the lapsing ones: it carries a virtual account now.
pub(super) fn exchanged(
    txn: &WriteTransaction,
    link_id: &str,
    expires_at_ms: i64,
) -> Result<(), StoreError> {
    forget(txn, LAPSING_LINKS, expires_at_ms, link_id)
}

fn forget(
    txn: &WriteTransaction,
    table: TableDefinition<(i64, &str), ()>,
    at_ms: i64,
    key: &str,
) -> Result<(), StoreError> {
    txn.open_table(table)
        .embedded()?
        .remove((at_ms, key))
        .embedded()?;
    Ok(())
}

/// Deletes at most `limit` links whose token lapsed unused by `lapsed_by_ms`, the
/// earliest first; answers how many.
pub(super) fn purge_lapsed(
    txn: &WriteTransaction,
    lapsed_by_ms: i64,
    limit: usize,
) -> Result<u64, StoreError> {
    let due = earliest(txn, LAPSING_LINKS, lapsed_by_ms, limit)?;
    let mut lapsing = txn.open_table(LAPSING_LINKS).embedded()?;
    let mut links = txn.open_table(LINKS).embedded()?;
    let mut deleted = 0;
    for (at, id) in &due {
        let unexchanged = links
            .get(id.as_str())
            .embedded()?
            .is_some_and(|row| row.value().5.is_empty());
        if unexchanged {
            links.remove(id.as_str()).embedded()?;
            deleted += 1;
        }
        lapsing.remove((*at, id.as_str())).embedded()?;
    }
    Ok(deleted)
}

/// Deletes at most `limit` link tokens that lapsed by `now_ms`; answers how many.
pub(super) fn purge_tokens(
    txn: &WriteTransaction,
    now_ms: i64,
    limit: usize,
) -> Result<u64, StoreError> {
    let due = earliest(txn, TOKEN_EXPIRY, now_ms, limit)?;
    let mut expiry = txn.open_table(TOKEN_EXPIRY).embedded()?;
    let mut tokens = txn.open_table(LINK_TOKENS).embedded()?;
    for (at, hash) in &due {
        tokens.remove(hash.as_str()).embedded()?;
        expiry.remove((*at, hash.as_str())).embedded()?;
    }
    Ok(due.len() as u64)
}
