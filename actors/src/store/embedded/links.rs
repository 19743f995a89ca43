//! Links and virtual accounts of the embedded store: each operation one redb transaction,
//! so spending a token and minting the pairwise virtual account happen together or not at
//! all. A token row carries its own expiry, since redb has no expiring keys; retention's
//! tables of lapsing links and tokens ([`super::lapsing_links`]) follow every change.

use async_trait::async_trait;
use redb::{Database, ReadableTable, Table, TableDefinition};

use super::tables::OrEmbedded;
use super::{lapsing_links, revoked_accounts, EmbeddedStore};
use crate::store::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoreError, StoredLink,
    StoredVirtualAccount,
};

/// A link row: (merchant, sealed user reference, created, updated, token expiry, virtual
/// account or "", linked).
type LinkRow = (
    &'static str,
    &'static [u8],
    i64,
    i64,
    i64,
    &'static str,
    bool,
);

/// Link id → [`LinkRow`].
pub(super) const LINKS: TableDefinition<&str, LinkRow> = TableDefinition::new("links");

/// SHA-256 of a link token → (link id, token expiry in Unix ms).
pub(super) const LINK_TOKENS: TableDefinition<&str, (&str, i64)> =
    TableDefinition::new("link_tokens");

/// A virtual account row: (merchant, wallet, sealed account, account key, created,
/// revoked); the sealed account and the account key are `None` once retention forgot them.
type VirtualRow = (
    &'static str,
    &'static str,
    Option<&'static [u8]>,
    Option<&'static str>,
    i64,
    Option<i64>,
);

/// Virtual account id → [`VirtualRow`].
pub(super) const VIRTUAL_ACCOUNTS: TableDefinition<&str, VirtualRow> =
    TableDefinition::new("virtual_accounts");

/// (account key, merchant) → the merchant's active virtual account for the account.
pub(super) const VIRTUAL_PAIRS: TableDefinition<(&str, &str), &str> =
    TableDefinition::new("virtual_pairs");

/// (account key, created, virtual account id): every virtual account of an account, oldest
/// first.
pub(super) const ACCOUNT_VIRTUALS: TableDefinition<(&str, i64, &str), ()> =
    TableDefinition::new("account_virtuals");

#[async_trait]
impl LinkStore for EmbeddedStore {
    async fn create_link(&self, link: &NewLink) -> Result<(), StoreError> {
        let link = link.clone();
        self.run(move |db| {
            let txn = db.begin_write().embedded()?;
            {
                let mut links = txn.open_table(LINKS).embedded()?;
                let row = (
                    link.merchant_id.as_str(),
                    link.sealed_user_ref.as_slice(),
                    link.created_at_ms,
                    link.created_at_ms,
                    link.expires_at_ms,
                    "",
                    false,
                );
                links.insert(link.id.as_str(), row).embedded()?;
                let mut tokens = txn.open_table(LINK_TOKENS).embedded()?;
                let token = (link.id.as_str(), link.expires_at_ms);
                tokens.insert(link.token_hash.as_str(), token).embedded()?;
            }
            lapsing_links::enter(&txn, &link.id, &link.token_hash, link.expires_at_ms)?;
            txn.commit().embedded()
        })
        .await
    }

    async fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| {
            let txn = db.begin_read().embedded()?;
            let links = txn.open_table(LINKS).embedded()?;
            let virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
            read_link(&links, &virtuals, &id)
        })
        .await
    }

    async fn exchange(
        &self,
        token_hash: &str,
        candidate: &NewVirtualAccount,
        now_ms: i64,
    ) -> Result<Exchanged, StoreError> {
        let (token_hash, candidate) = (token_hash.to_owned(), candidate.clone());
        self.run(move |db| exchange(db, &token_hash, &candidate, now_ms))
            .await
    }

    async fn complete(
        &self,
        link_id: &str,
        merchant_id: &str,
        virtual_account_id: &str,
        now_ms: i64,
    ) -> Result<Completed, StoreError> {
        let (link_id, merchant_id, virtual_id) = (
            link_id.to_owned(),
            merchant_id.to_owned(),
            virtual_account_id.to_owned(),
        );
        self.run(move |db| complete(db, &link_id, &merchant_id, &virtual_id, now_ms))
            .await
    }

    async fn virtual_account(&self, id: &str) -> Result<Option<StoredVirtualAccount>, StoreError> {
        let id = id.to_owned();
        self.run(move |db| {
            let txn = db.begin_read().embedded()?;
            let virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
            read_virtual(&virtuals, &id)
        })
        .await
    }

    async fn virtual_accounts_of(
        &self,
        account_key: &str,
    ) -> Result<Vec<StoredVirtualAccount>, StoreError> {
        let account_key = account_key.to_owned();
        self.run(move |db| {
            let txn = db.begin_read().embedded()?;
            let listing = txn.open_table(ACCOUNT_VIRTUALS).embedded()?;
            let virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
            let range = (account_key.as_str(), i64::MIN, "")
                ..=(account_key.as_str(), i64::MAX, "\u{10FFFF}");
            let mut found = Vec::new();
            for row in listing.range(range).embedded()? {
                let (key, _) = row.embedded()?;
                let (_, _, id) = key.value();
                found.extend(read_virtual(&virtuals, id)?);
            }
            Ok(found)
        })
        .await
    }

    async fn revoke(&self, id: &str, wallet_id: &str, now_ms: i64) -> Result<Revoked, StoreError> {
        let (id, wallet_id) = (id.to_owned(), wallet_id.to_owned());
        self.run(move |db| revoke(db, &id, &wallet_id, now_ms))
            .await
    }
}

/// The link `id` with its virtual account's revocation folded in.
fn read_link(
    links: &impl ReadableTable<&'static str, LinkRow>,
    virtuals: &impl ReadableTable<&'static str, VirtualRow>,
    id: &str,
) -> Result<Option<StoredLink>, StoreError> {
    let Some(row) = links.get(id).embedded()? else {
        return Ok(None);
    };
    let (merchant, sealed, created, updated, expires, virtual_id, linked) = row.value();
    let revoked = match virtual_id {
        "" => false,
        virtual_id => virtuals
            .get(virtual_id)
            .embedded()?
            .is_some_and(|row| row.value().5.is_some()),
    };
    Ok(Some(StoredLink {
        id: id.to_owned(),
        merchant_id: merchant.to_owned(),
        sealed_user_ref: sealed.to_vec(),
        created_at_ms: created,
        updated_at_ms: updated,
        expires_at_ms: expires,
        virtual_account_id: Some(virtual_id.to_owned()).filter(|v| !v.is_empty()),
        linked,
        revoked,
    }))
}

/// The virtual account `id`, if there is one.
fn read_virtual(
    virtuals: &impl ReadableTable<&'static str, VirtualRow>,
    id: &str,
) -> Result<Option<StoredVirtualAccount>, StoreError> {
    Ok(virtuals.get(id).embedded()?.map(|row| {
        let (merchant, wallet, sealed, _, created, revoked) = row.value();
        StoredVirtualAccount {
            id: id.to_owned(),
            merchant_id: merchant.to_owned(),
            wallet_id: wallet.to_owned(),
            sealed_account: sealed.map(<[u8]>::to_vec),
            created_at_ms: created,
            revoked_at_ms: revoked,
        }
    }))
}

/// Spends the token and records the merchant's virtual account on the link, in one
/// transaction.
fn exchange(
    db: &Database,
    token_hash: &str,
    candidate: &NewVirtualAccount,
    now_ms: i64,
) -> Result<Exchanged, StoreError> {
    let txn = db.begin_write().embedded()?;
    let exchanged = {
        let mut tokens = txn.open_table(LINK_TOKENS).embedded()?;
        let spent = tokens.remove(token_hash).embedded()?.map(|row| {
            let (link_id, expires) = row.value();
            (link_id.to_owned(), expires)
        });
        if let Some((_, expires)) = &spent {
            lapsing_links::token_gone(&txn, token_hash, *expires)?;
        }
        let mut links = txn.open_table(LINKS).embedded()?;
        let link = match spent {
            Some((link_id, expires)) if expires > now_ms => live_link(&links, &link_id)?,
            _ => None,
        };
        match link {
            None => Exchanged::NotFound,
            Some((link_id, merchant, expires)) => {
                let virtual_id = pairwise(&txn, &merchant, candidate)?;
                set_virtual(&mut links, &link_id, &virtual_id, now_ms)?;
                lapsing_links::exchanged(&txn, &link_id, expires)?;
                Exchanged::Minted {
                    virtual_account_id: virtual_id,
                    merchant_id: merchant,
                }
            }
        }
    };
    txn.commit().embedded()?;
    Ok(exchanged)
}

/// The link `link_id`, its merchant and its token's expiry, while it has no virtual
/// account yet.
fn live_link(
    links: &Table<&'static str, LinkRow>,
    link_id: &str,
) -> Result<Option<(String, String, i64)>, StoreError> {
    Ok(links.get(link_id).embedded()?.and_then(|row| {
        let (merchant, _, _, _, expires, virtual_id, _) = row.value();
        virtual_id
            .is_empty()
            .then(|| (link_id.to_owned(), merchant.to_owned(), expires))
    }))
}

/// The merchant's active virtual account for the candidate's payment account, minting the
/// candidate when there is none.
fn pairwise(
    txn: &redb::WriteTransaction,
    merchant: &str,
    candidate: &NewVirtualAccount,
) -> Result<String, StoreError> {
    let mut pairs = txn.open_table(VIRTUAL_PAIRS).embedded()?;
    let pair = (candidate.account_key.as_str(), merchant);
    if let Some(active) = pairs.get(pair).embedded()? {
        return Ok(active.value().to_owned());
    }
    pairs.insert(pair, candidate.id.as_str()).embedded()?;
    let row = (
        merchant,
        candidate.wallet_id.as_str(),
        Some(candidate.sealed_account.as_slice()),
        Some(candidate.account_key.as_str()),
        candidate.created_at_ms,
        None,
    );
    txn.open_table(VIRTUAL_ACCOUNTS)
        .embedded()?
        .insert(candidate.id.as_str(), row)
        .embedded()?;
    let listed = (
        candidate.account_key.as_str(),
        candidate.created_at_ms,
        candidate.id.as_str(),
    );
    txn.open_table(ACCOUNT_VIRTUALS)
        .embedded()?
        .insert(listed, ())
        .embedded()?;
    Ok(candidate.id.clone())
}

/// Records the exchange's virtual account on the link.
fn set_virtual(
    links: &mut Table<&'static str, LinkRow>,
    link_id: &str,
    virtual_id: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    let (merchant, sealed, created, expires) = {
        let row = links
            .get(link_id)
            .embedded()?
            .ok_or_else(|| StoreError::Corrupt("a spent token names no link".into()))?;
        let (merchant, sealed, created, _, expires, _, _) = row.value();
        (merchant.to_owned(), sealed.to_vec(), created, expires)
    };
    let row = (
        merchant.as_str(),
        sealed.as_slice(),
        created,
        now_ms,
        expires,
        virtual_id,
        false,
    );
    links.insert(link_id, row).embedded()?;
    Ok(())
}

/// Links the merchant's link to the virtual account its exchange minted.
fn complete(
    db: &Database,
    link_id: &str,
    merchant_id: &str,
    virtual_id: &str,
    now_ms: i64,
) -> Result<Completed, StoreError> {
    let txn = db.begin_write().embedded()?;
    {
        let mut links = txn.open_table(LINKS).embedded()?;
        let row = links.get(link_id).embedded()?.map(|row| {
            let (merchant, sealed, created, _, expires, minted, linked) = row.value();
            (
                merchant.to_owned(),
                sealed.to_vec(),
                created,
                expires,
                minted.to_owned(),
                linked,
            )
        });
        let Some((merchant, sealed, created, expires, minted, linked)) = row else {
            return Ok(Completed::NotFound);
        };
        if merchant != merchant_id {
            return Ok(Completed::NotFound);
        }
        if minted != virtual_id {
            return Ok(Completed::Mismatch);
        }
        if !linked {
            let row = (
                merchant.as_str(),
                sealed.as_slice(),
                created,
                now_ms,
                expires,
                minted.as_str(),
                true,
            );
            links.insert(link_id, row).embedded()?;
        }
    }
    txn.commit().embedded()?;
    let txn = db.begin_read().embedded()?;
    let links = txn.open_table(LINKS).embedded()?;
    let virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
    Ok(read_link(&links, &virtuals, link_id)?.map_or(Completed::NotFound, Completed::Linked))
}

/// Revokes the wallet's virtual account and frees its (account, merchant) pair; enters it
/// among the revoked ones that retention reads.
fn revoke(db: &Database, id: &str, wallet_id: &str, now_ms: i64) -> Result<Revoked, StoreError> {
    let txn = db.begin_write().embedded()?;
    {
        let mut virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
        let row = virtuals.get(id).embedded()?.map(|row| {
            let (merchant, wallet, sealed, account_key, created, revoked) = row.value();
            (
                merchant.to_owned(),
                wallet.to_owned(),
                sealed.map(<[u8]>::to_vec),
                account_key.map(str::to_owned),
                created,
                revoked,
            )
        });
        let Some((merchant, wallet, sealed, account_key, created, revoked)) = row else {
            return Ok(Revoked::NotFound);
        };
        if wallet != wallet_id {
            return Ok(Revoked::NotFound);
        }
        if revoked.is_none() {
            let row = (
                merchant.as_str(),
                wallet.as_str(),
                sealed.as_deref(),
                account_key.as_deref(),
                created,
                Some(now_ms),
            );
            virtuals.insert(id, row).embedded()?;
            if let Some(account_key) = &account_key {
                let mut pairs = txn.open_table(VIRTUAL_PAIRS).embedded()?;
                let pair = (account_key.as_str(), merchant.as_str());
                let active = pairs.get(pair).embedded()?.map(|v| v.value() == id);
                if active == Some(true) {
                    pairs.remove(pair).embedded()?;
                }
            }
            revoked_accounts::enter(&txn, id, now_ms)?;
        }
    }
    txn.commit().embedded()?;
    Ok(Revoked::Revoked)
}
