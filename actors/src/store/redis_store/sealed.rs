//! The sealed values on Redis: saga states (field `s` of each saga hash), walked
//! partition by partition ([`RedisStore::saga_ids`]), and usernames (field `un` of
//! each account hash), links' user references (`u`) and virtual accounts' real accounts
//! (`a`), walked with SCAN, one node after another on a cluster. All keep
//! SCAN's promise: every value present for the whole walk is met at least once. A
//! replacement is one script on the value's own key.

use std::sync::LazyLock;

use async_trait::async_trait;
use redis::Script;

use super::connection::ScanPosition;
use super::RedisStore;
use crate::store::{SealedKind, SealedPage, SealedStore, SealedValue, StoreError};

static RESEAL: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("reseal.lua")));

#[async_trait]
impl SealedStore for RedisStore {
    async fn sealed_page(
        &self,
        kind: SealedKind,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<SealedPage, StoreError> {
        let at = ScanPosition::parse(cursor)?;
        let limit = limit.max(1);
        match kind {
            SealedKind::SagaState => self.saga_states(at, limit).await,
            SealedKind::Username => self.usernames(at, limit).await,
            SealedKind::LinkUserRef => self.sealed_fields(at, limit, &self.link_key(""), "u").await,
            SealedKind::VirtualAccount => {
                self.sealed_fields(at, limit, &self.virtual_key(""), "a")
                    .await
            }
        }
    }

    async fn reseal(
        &self,
        kind: SealedKind,
        key: &str,
        old: &[u8],
        new: &[u8],
    ) -> Result<bool, StoreError> {
        let (hash, field) = match kind {
            SealedKind::SagaState => (self.saga_keys(key).saga, "s"),
            SealedKind::Username => (self.account_key(key), "un"),
            SealedKind::LinkUserRef => (self.link_key(key), "u"),
            SealedKind::VirtualAccount => (self.virtual_key(key), "a"),
        };
        let replaced: i64 = RESEAL
            .key(hash)
            .arg(field)
            .arg(old)
            .arg(new)
            .invoke_async(&mut self.con())
            .await?;
        Ok(replaced == 1)
    }
}

impl RedisStore {
    /// A page of saga states: a step of the walk over every saga id, then their states.
    async fn saga_states(&self, at: ScanPosition, limit: usize) -> Result<SealedPage, StoreError> {
        let (ids, next) = self.saga_ids(at, limit).await?;
        let reads = ids
            .iter()
            .map(|id| {
                let mut cmd = redis::cmd("HGET");
                cmd.arg(self.saga_keys(id).saga).arg("s");
                cmd
            })
            .collect();
        let states: Vec<Option<Vec<u8>>> = self.con.each(reads).await?;
        let values = ids
            .into_iter()
            .zip(states)
            .filter_map(|(id, state)| {
                state.map(|sealed| SealedValue {
                    key: id.clone(),
                    context: id,
                    sealed,
                })
            })
            .collect();
        Ok(SealedPage {
            values,
            next: next.map(ScanPosition::to_cursor),
        })
    }

    /// A page of usernames: a SCAN step over the account keys, then each one's user id
    /// and sealed username.
    async fn usernames(&self, at: ScanPosition, limit: usize) -> Result<SealedPage, StoreError> {
        let pattern = format!("{}{{*}}", glob_escape(&self.account_key_prefix()));
        let (keys, next) = self.con.scan(at, &pattern, limit).await?;
        let reads = keys
            .iter()
            .map(|key| {
                let mut cmd = redis::cmd("HMGET");
                cmd.arg(key).arg(&["id", "un"]);
                cmd
            })
            .collect();
        let accounts: Vec<(Option<String>, Option<Vec<u8>>)> = self.con.each(reads).await?;
        let prefix_len = self.account_key_prefix().len();
        let values = keys
            .iter()
            .zip(accounts)
            .filter_map(|(key, account)| match account {
                (Some(user_id), Some(sealed)) => Some(SealedValue {
                    // `<prefix>:acct:{<lookup>}` → `<lookup>`
                    key: key[prefix_len + 1..key.len() - 1].to_owned(),
                    context: user_id,
                    sealed,
                }),
                _ => None,
            })
            .collect();
        Ok(SealedPage {
            values,
            next: next.map(ScanPosition::to_cursor),
        })
    }
}

impl RedisStore {
    /// A page of the sealed `field` of the hashes named `<prefix><id>` (links, virtual
    /// accounts): a SCAN step over them, then each one's field; each is sealed bound to
    /// its id.
    async fn sealed_fields(
        &self,
        at: ScanPosition,
        limit: usize,
        prefix: &str,
        field: &str,
    ) -> Result<SealedPage, StoreError> {
        let pattern = format!("{}*", glob_escape(prefix));
        let (keys, next) = self.con.scan(at, &pattern, limit).await?;
        let reads = keys
            .iter()
            .map(|key| {
                let mut cmd = redis::cmd("HGET");
                cmd.arg(key).arg(field);
                cmd
            })
            .collect();
        let sealed: Vec<Option<Vec<u8>>> = self.con.each(reads).await?;
        let values = keys
            .iter()
            .zip(sealed)
            .filter_map(|(key, sealed)| {
                let id = key.strip_prefix(prefix)?.to_owned();
                sealed.map(|sealed| SealedValue {
                    key: id.clone(),
                    context: id,
                    sealed,
                })
            })
            .collect();
        Ok(SealedPage {
            values,
            next: next.map(ScanPosition::to_cursor),
        })
    }
}

/// `text` with the characters SCAN's MATCH treats as a pattern escaped.
fn glob_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
