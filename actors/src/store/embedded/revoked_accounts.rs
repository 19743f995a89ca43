//! Revoked virtual accounts whose real account is still kept, by revocation, so that
//! retention forgets the account a retention period after the revocation: the sealed
//! account and the keyed hash of the account go, with the account's listing entry; the
//! rest of the row stays, so that the id keeps answering as revoked.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::links::{ACCOUNT_VIRTUALS, VIRTUAL_ACCOUNTS};
use super::tables::{earliest, OrEmbedded};
use crate::store::StoreError;

/// (revocation instant, virtual account id): the revoked accounts not forgotten yet.
pub(super) const REVOKED_ACCOUNTS: TableDefinition<(i64, &str), ()> =
    TableDefinition::new("revoked_accounts");

/// Enters virtual account `id`, revoked at `revoked_at_ms`.
pub(super) fn enter(
    txn: &WriteTransaction,
    id: &str,
    revoked_at_ms: i64,
) -> Result<(), StoreError> {
    txn.open_table(REVOKED_ACCOUNTS)
        .embedded()?
        .insert((revoked_at_ms, id), ())
        .embedded()?;
    Ok(())
}

/// Forgets the real account of at most `limit` virtual accounts revoked by
/// `revoked_by_ms`, the earliest first; answers how many.
pub(super) fn forget(
    txn: &WriteTransaction,
    revoked_by_ms: i64,
    limit: usize,
) -> Result<u64, StoreError> {
    let due = earliest(txn, REVOKED_ACCOUNTS, revoked_by_ms, limit)?;
    let mut revoked = txn.open_table(REVOKED_ACCOUNTS).embedded()?;
    let mut virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
    let mut listing = txn.open_table(ACCOUNT_VIRTUALS).embedded()?;
    let mut forgotten = 0;
    for (at, id) in &due {
        let kept = virtuals.get(id.as_str()).embedded()?.map(|row| {
            let (merchant, wallet, sealed, account_key, created, revoked) = row.value();
            let names = (merchant.to_owned(), wallet.to_owned());
            (
                names,
                sealed.is_some(),
                account_key.map(str::to_owned),
                created,
                revoked,
            )
        });
        if let Some(((merchant, wallet), sealed, account_key, created, revoked_at)) = kept {
            if let Some(account_key) = &account_key {
                listing
                    .remove((account_key.as_str(), created, id.as_str()))
                    .embedded()?;
            }
            if sealed || account_key.is_some() {
                let row = (
                    merchant.as_str(),
                    wallet.as_str(),
                    None,
                    None,
                    created,
                    revoked_at,
                );
                virtuals.insert(id.as_str(), row).embedded()?;
                forgotten += 1;
            }
        }
        revoked.remove((*at, id.as_str())).embedded()?;
    }
    Ok(forgotten)
}
