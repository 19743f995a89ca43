//! Links and virtual accounts on Redis.
//!
//! Every key lives under the one hash tag `{lnk}`, so that spending a token, minting or
//! reusing the pairwise virtual account and recording it on the link is one script on one
//! slot: `<prefix>:{lnk}:link:<id>` (hash: `m` merchant, `u` sealed user reference, `c`
//! created, `up` updated, `x` token expiry, `v` virtual account, `l` linked),
//! `<prefix>:{lnk}:tok:<sha256>` (link id, expiring with the token),
//! `<prefix>:{lnk}:va:<id>` (hash: `m` merchant, `w` wallet, `a` sealed account, `k`
//! account key, `c` created, `r` revoked), `<prefix>:{lnk}:pair:<account key>:<merchant>`
//! (the active virtual account), `<prefix>:{lnk}:acct:<account key>` (zset of every
//! virtual account of the account by creation), `<prefix>:{lnk}:lapsing` (zset of the
//! links not exchanged yet, by token expiry) and `<prefix>:{lnk}:revoked` (zset of the
//! revoked virtual accounts whose real account is still kept, by revocation); retention
//! reads the last two. The cost: on a Redis Cluster all linking data lives on one shard.
//! Resolving a virtual account is one `HMGET`.

use std::sync::LazyLock;

use async_trait::async_trait;
use redis::Script;

use super::{guarded, unexpected_code, RedisStore, LATE};
use crate::store::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoreError, StoredLink,
    StoredVirtualAccount,
};

static CREATE_LINK: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("create_link.lua")));
static EXCHANGE: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("exchange.lua")));
static COMPLETE: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("complete.lua")));
static REVOKE: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("revoke.lua")));
static READ_LINK: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("read_link.lua")));
static PURGE_LAPSED: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("purge_lapsed.lua")));
static FORGET_REVOKED: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("forget_revoked.lua")));

/// The fields of a virtual account hash, in the order they are read.
const VIRTUAL_FIELDS: [&str; 5] = ["m", "w", "a", "c", "r"];

/// A virtual account hash as `HMGET` reads [`VIRTUAL_FIELDS`].
type VirtualRow = (
    Option<String>,
    Option<String>,
    Option<Vec<u8>>,
    Option<i64>,
    Option<i64>,
);

/// A link as `read_link.lua` returns it.
type LinkRow = (String, Vec<u8>, i64, i64, i64, String, String, i64);

impl RedisStore {
    /// What every linking key starts with, hash tag included.
    fn link_base(&self) -> String {
        format!("{}:{{lnk}}", self.prefix)
    }

    /// The hash of link `id`.
    pub(in crate::store::redis_store) fn link_key(&self, id: &str) -> String {
        format!("{}:link:{id}", self.link_base())
    }

    fn token_key(&self, token_hash: &str) -> String {
        format!("{}:tok:{token_hash}", self.link_base())
    }

    /// The hash of virtual account `id`.
    pub(in crate::store::redis_store) fn virtual_key(&self, id: &str) -> String {
        format!("{}:va:{id}", self.link_base())
    }

    fn account_virtuals_key(&self, account_key: &str) -> String {
        format!("{}:acct:{account_key}", self.link_base())
    }

    /// The zset of links not exchanged yet, by token expiry.
    fn lapsing_links_key(&self) -> String {
        format!("{}:lapsing", self.link_base())
    }

    /// Deletes at most `limit` links whose token lapsed unused by `lapsed_by_ms` (see
    /// [`crate::store::RetentionStore::purge_lapsed_links`]); answers how many.
    pub(in crate::store::redis_store) async fn delete_lapsed_links(
        &self,
        lapsed_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError> {
        Ok(PURGE_LAPSED
            .key(self.lapsing_links_key())
            .arg(lapsed_by_ms)
            .arg(limit)
            .arg(self.link_base())
            .invoke_async(&mut self.con())
            .await?)
    }

    /// Forgets the real account of at most `limit` virtual accounts revoked by
    /// `revoked_by_ms` (see [`crate::store::RetentionStore::forget_revoked_accounts`]);
    /// answers how many.
    pub(in crate::store::redis_store) async fn forget_revoked(
        &self,
        revoked_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError> {
        Ok(FORGET_REVOKED
            .key(format!("{}:revoked", self.link_base()))
            .arg(revoked_by_ms)
            .arg(limit)
            .arg(self.link_base())
            .invoke_async(&mut self.con())
            .await?)
    }
}

/// A virtual account from its hash, or `None` when it has none.
fn virtual_account(id: &str, row: VirtualRow) -> Result<Option<StoredVirtualAccount>, StoreError> {
    match row {
        (None, None, None, None, None) => Ok(None),
        (Some(merchant_id), Some(wallet_id), sealed_account, Some(created_at_ms), revoked)
            if sealed_account.is_some() || revoked.is_some() =>
        {
            Ok(Some(StoredVirtualAccount {
                id: id.to_owned(),
                merchant_id,
                wallet_id,
                sealed_account,
                created_at_ms,
                revoked_at_ms: revoked,
            }))
        }
        _ => Err(StoreError::Corrupt(
            "a virtual account hash is incomplete".into(),
        )),
    }
}

/// Fails with [`StoreError::Late`] for the too-late code, and passes other codes on.
fn in_time(code: i64, operation: &'static str) -> Result<i64, StoreError> {
    if code == LATE {
        return Err(StoreError::Late { operation });
    }
    Ok(code)
}

#[async_trait]
impl LinkStore for RedisStore {
    async fn create_link(&self, link: &NewLink) -> Result<(), StoreError> {
        let life_ms = (link.expires_at_ms - link.created_at_ms).max(1);
        let code: i64 = CREATE_LINK
            .key(self.link_key(&link.id))
            .key(self.token_key(&link.token_hash))
            .key(self.lapsing_links_key())
            .arg(self.apply_by_ms())
            .arg(&link.merchant_id)
            .arg(&link.sealed_user_ref)
            .arg(link.created_at_ms)
            .arg(link.expires_at_ms)
            .arg(life_ms)
            .arg(&link.id)
            .invoke_async(&mut self.con())
            .await?;
        match in_time(code, "create link")? {
            1 => Ok(()),
            other => Err(unexpected_code("create link", other)),
        }
    }

    async fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError> {
        let row: Option<LinkRow> = READ_LINK
            .key(self.link_key(id))
            .arg(self.link_base())
            .invoke_async(&mut self.con())
            .await?;
        Ok(row.map(
            |(
                merchant_id,
                sealed_user_ref,
                created,
                updated,
                expires,
                virtual_id,
                linked,
                revoked,
            )| {
                StoredLink {
                    id: id.to_owned(),
                    merchant_id,
                    sealed_user_ref,
                    created_at_ms: created,
                    updated_at_ms: updated,
                    expires_at_ms: expires,
                    virtual_account_id: Some(virtual_id).filter(|v| !v.is_empty()),
                    linked: linked == "1",
                    revoked: revoked == 1,
                }
            },
        ))
    }

    async fn exchange(
        &self,
        token_hash: &str,
        candidate: &NewVirtualAccount,
        now_ms: i64,
    ) -> Result<Exchanged, StoreError> {
        let (code, virtual_id, merchant): (i64, Option<String>, Option<String>) = EXCHANGE
            .key(self.token_key(token_hash))
            .arg(self.apply_by_ms())
            .arg(self.link_base())
            .arg(now_ms)
            .arg(&candidate.id)
            .arg(&candidate.sealed_account)
            .arg(&candidate.account_key)
            .arg(&candidate.wallet_id)
            .arg(candidate.created_at_ms)
            .invoke_async(&mut self.con())
            .await?;
        match (in_time(code, "exchange link token")?, virtual_id, merchant) {
            (0, _, _) => Ok(Exchanged::NotFound),
            (1, Some(virtual_account_id), Some(merchant_id)) => Ok(Exchanged::Minted {
                virtual_account_id,
                merchant_id,
            }),
            (other, _, _) => Err(unexpected_code("exchange link token", other)),
        }
    }

    async fn complete(
        &self,
        link_id: &str,
        merchant_id: &str,
        virtual_account_id: &str,
        now_ms: i64,
    ) -> Result<Completed, StoreError> {
        let code: i64 = COMPLETE
            .key(self.link_key(link_id))
            .arg(self.apply_by_ms())
            .arg(merchant_id)
            .arg(virtual_account_id)
            .arg(now_ms)
            .invoke_async(&mut self.con())
            .await?;
        match in_time(code, "complete link")? {
            0 => Ok(Completed::NotFound),
            2 => Ok(Completed::Mismatch),
            1 => match self.link(link_id).await? {
                Some(link) => Ok(Completed::Linked(link)),
                None => Ok(Completed::NotFound),
            },
            other => Err(unexpected_code("complete link", other)),
        }
    }

    async fn virtual_account(&self, id: &str) -> Result<Option<StoredVirtualAccount>, StoreError> {
        let row: VirtualRow = redis::cmd("HMGET")
            .arg(self.virtual_key(id))
            .arg(&VIRTUAL_FIELDS)
            .query_async(&mut self.con())
            .await?;
        virtual_account(id, row)
    }

    async fn virtual_accounts_of(
        &self,
        account_key: &str,
    ) -> Result<Vec<StoredVirtualAccount>, StoreError> {
        let ids: Vec<String> = redis::cmd("ZRANGE")
            .arg(self.account_virtuals_key(account_key))
            .arg(0)
            .arg(-1)
            .query_async(&mut self.con())
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.cmd("HMGET")
                .arg(self.virtual_key(id))
                .arg(&VIRTUAL_FIELDS);
        }
        let rows: Vec<VirtualRow> = pipe.query_async(&mut self.con()).await?;
        let mut found = Vec::with_capacity(ids.len());
        for (id, row) in ids.iter().zip(rows) {
            found.extend(virtual_account(id, row)?);
        }
        Ok(found)
    }

    async fn revoke(&self, id: &str, wallet_id: &str, now_ms: i64) -> Result<Revoked, StoreError> {
        let code: i64 = REVOKE
            .key(self.virtual_key(id))
            .arg(self.apply_by_ms())
            .arg(self.link_base())
            .arg(wallet_id)
            .arg(now_ms)
            .arg(id)
            .invoke_async(&mut self.con())
            .await?;
        match in_time(code, "revoke virtual account")? {
            0 => Ok(Revoked::NotFound),
            1 => Ok(Revoked::Revoked),
            other => Err(unexpected_code("revoke virtual account", other)),
        }
    }
}
