//! The sealed values of the embedded store: saga states (`SAGAS`), usernames (`ACCOUNTS`), links'
//! user references (`LINKS`) and virtual accounts (`VIRTUAL_ACCOUNTS`), each walked in key order
//! from the cursor (the last key of the previous page). A replacement is one write transaction that
//! compares first.

use async_trait::async_trait;
use redb::{Database, ReadableTable};

use super::links::{LINKS, VIRTUAL_ACCOUNTS};
use super::tables::{OrEmbedded, SAGAS};
use super::tickets::ACCOUNTS;
use super::EmbeddedStore;
use crate::store::{SealedKind, SealedPage, SealedStore, SealedValue, StoreError};

#[async_trait]
impl SealedStore for EmbeddedStore {
    async fn sealed_page(
        &self,
        kind: SealedKind,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<SealedPage, StoreError> {
        let cursor = cursor.map(str::to_owned);
        self.run(move |db| page(db, kind, cursor.as_deref(), limit.max(1)))
            .await
    }

    async fn reseal(
        &self,
        kind: SealedKind,
        key: &str,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError> {
        let (key, old, new) = (key.to_owned(), old.to_vec(), new.to_vec());
        self.run(move |db| reseal(db, kind, &key, &old, &new)).await
    }
}

fn page(
    db: &Database,
    kind: SealedKind,
    cursor: Option<&str>,
    limit: usize,
) -> Result<SealedPage, StoreError> {
    let txn = db.begin_read().embedded()?;
    let start = match cursor {
        Some(key) => std::ops::Bound::Excluded(key),
        None => std::ops::Bound::Unbounded,
    };
    let range = (start, std::ops::Bound::Unbounded);
    let mut values = Vec::new();
    // The rows read, which a forgotten virtual account (no sealed value) counts among.
    let mut read = 0;
    let mut last = None;
    match kind {
        SealedKind::SagaState => {
            let sagas = txn.open_table(SAGAS).embedded()?;
            for row in sagas.range::<&str>(range).embedded()?.take(limit) {
                let (id, saga) = row.embedded()?;
                (read, last) = (read + 1, Some(id.value().to_owned()));
                values.push(SealedValue {
                    key: id.value().to_owned(),
                    context: id.value().to_owned(),
                    sealed: saga.value().2.to_vec(),
                });
            }
        }
        SealedKind::Username => {
            let accounts = txn.open_table(ACCOUNTS).embedded()?;
            for row in accounts.range::<&str>(range).embedded()?.take(limit) {
                let (lookup, account) = row.embedded()?;
                (read, last) = (read + 1, Some(lookup.value().to_owned()));
                let (user_id, sealed, _) = account.value();
                values.push(SealedValue {
                    key: lookup.value().to_owned(),
                    context: user_id.to_owned(),
                    sealed: sealed.to_vec(),
                });
            }
        }
        SealedKind::LinkUserRef => {
            let links = txn.open_table(LINKS).embedded()?;
            for row in links.range::<&str>(range).embedded()?.take(limit) {
                let (id, link) = row.embedded()?;
                (read, last) = (read + 1, Some(id.value().to_owned()));
                values.push(SealedValue {
                    key: id.value().to_owned(),
                    context: id.value().to_owned(),
                    sealed: link.value().1.to_vec(),
                });
            }
        }
        SealedKind::VirtualAccount => {
            let virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
            for row in virtuals.range::<&str>(range).embedded()?.take(limit) {
                let (id, account) = row.embedded()?;
                (read, last) = (read + 1, Some(id.value().to_owned()));
                if let Some(sealed) = account.value().2 {
                    values.push(SealedValue {
                        key: id.value().to_owned(),
                        context: id.value().to_owned(),
                        sealed: sealed.to_vec(),
                    });
                }
            }
        }
    }
    let next = if read == limit { last } else { None };
    Ok(SealedPage { values, next })
}

fn reseal(
    db: &Database,
    kind: SealedKind,
    key: &str,
    old: &[u8],
    new: &[u8],
) -> Result<bool, StoreError> {
    let txn = db.begin_write().embedded()?;
    let replaced = match kind {
        SealedKind::SagaState => {
            let mut sagas = txn.open_table(SAGAS).embedded()?;
            let current = sagas.get(key).embedded()?.map(|row| {
                let (version, meta, state) = row.value();
                (version, meta.to_owned(), state == old)
            });
            match current {
                Some((version, meta, true)) => {
                    sagas
                        .insert(key, (version, meta.as_str(), new))
                        .embedded()?;
                    true
                }
                _ => false,
            }
        }
        SealedKind::Username => {
            let mut accounts = txn.open_table(ACCOUNTS).embedded()?;
            let current = accounts.get(key).embedded()?.map(|row| {
                let (user_id, sealed, password) = row.value();
                (user_id.to_owned(), password.to_owned(), sealed == old)
            });
            match current {
                Some((user_id, password, true)) => {
                    accounts
                        .insert(key, (user_id.as_str(), new, password.as_str()))
                        .embedded()?;
                    true
                }
                _ => false,
            }
        }
        SealedKind::LinkUserRef => {
            let mut links = txn.open_table(LINKS).embedded()?;
            let current = links.get(key).embedded()?.map(|row| {
                let (merchant, sealed, created, updated, expires, virtual_id, linked) = row.value();
                let rest = (
                    merchant.to_owned(),
                    created,
                    updated,
                    expires,
                    virtual_id.to_owned(),
                );
                (rest, linked, sealed == old)
            });
            match current {
                Some(((merchant, created, updated, expires, virtual_id), linked, true)) => {
                    let row = (
                        merchant.as_str(),
                        new,
                        created,
                        updated,
                        expires,
                        virtual_id.as_str(),
                        linked,
                    );
                    links.insert(key, row).embedded()?;
                    true
                }
                _ => false,
            }
        }
        SealedKind::VirtualAccount => {
            let mut virtuals = txn.open_table(VIRTUAL_ACCOUNTS).embedded()?;
            let current = virtuals.get(key).embedded()?.map(|row| {
                let (merchant, wallet, sealed, account_key, created, revoked) = row.value();
                let rest = (
                    merchant.to_owned(),
                    wallet.to_owned(),
                    account_key.map(str::to_owned),
                );
                (rest, created, revoked, sealed == Some(old))
            });
            match current {
                Some(((merchant, wallet, account_key), created, revoked, true)) => {
                    let row = (
                        merchant.as_str(),
                        wallet.as_str(),
                        Some(new),
                        account_key.as_deref(),
                        created,
                        revoked,
                    );
                    virtuals.insert(key, row).embedded()?;
                    true
                }
                _ => false,
            }
        }
    };
    if replaced {
        txn.commit().embedded()?;
    } else {
        txn.abort().embedded()?;
    }
    Ok(replaced)
}
