//! Accounts and ticket families on Redis.
//!
//! `{prefix}:acct:{<lookup>}` (hash: `id` user id, `un` sealed username, `pw` password
//! hash) and `{prefix}:acct:{<lookup>}:fails` (hash: `n` consecutive failures, `until` end
//! of the lockout) share the username's hash tag, so that a login reads both in one
//! pipeline on one slot. `{prefix}:tkt:{<user id>}:<app id>` is one family in one hash
//! (see `start_family.lua`), under the user's hash tag. Verify is one `HMGET`; every write
//! is one script.

use std::sync::LazyLock;

use async_trait::async_trait;
use redis::Script;

use super::{guarded, unexpected_code, RedisStore, LATE};
use crate::store::{
    AccountCreated, Authorization, FamilyId, FamilyKeys, LockoutPolicy, LoginState, NewAccount,
    Rotation, StoreError, StoredAccount, TicketStore,
};

static CREATE_ACCOUNT: LazyLock<Script> =
    LazyLock::new(|| guarded(include_str!("create_account.lua")));
static START_FAMILY: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("start_family.lua")));
static ROTATE: LazyLock<Script> = LazyLock::new(|| guarded(include_str!("rotate.lua")));
static LOGIN_FAILURE: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("login_failure.lua")));
static REVOKE: LazyLock<Script> = LazyLock::new(|| Script::new(include_str!("revoke.lua")));

impl RedisStore {
    pub(super) fn account_key(&self, lookup: &str) -> String {
        format!("{}{{{lookup}}}", self.account_key_prefix())
    }

    /// What every account key starts with, before its `{<lookup>}`.
    pub(super) fn account_key_prefix(&self) -> String {
        format!("{}:acct:", self.prefix)
    }

    fn failures_key(&self, lookup: &str) -> String {
        format!("{}:acct:{{{lookup}}}:fails", self.prefix)
    }

    fn family_key(&self, family: &FamilyId) -> String {
        format!(
            "{}:tkt:{{{}}}:{}",
            self.prefix, family.user_id, family.app_id
        )
    }
}

#[async_trait]
impl TicketStore for RedisStore {
    async fn create_account(&self, account: &NewAccount) -> Result<AccountCreated, StoreError> {
        let code: i64 = CREATE_ACCOUNT
            .key(self.account_key(&account.lookup))
            .arg(&account.user_id)
            .arg(&account.sealed_username)
            .arg(&account.password_hash)
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "create account",
            }),
            0 => Ok(AccountCreated::Taken),
            1 => Ok(AccountCreated::Created),
            other => Err(unexpected_code("create account", other)),
        }
    }

    async fn login_state(&self, lookup: &str) -> Result<LoginState, StoreError> {
        type Fields = ((Option<String>, Option<String>), (Option<u64>, Option<i64>));
        let ((user_id, password_hash), (failures, locked_until_ms)): Fields = redis::pipe()
            .cmd("HMGET")
            .arg(self.account_key(lookup))
            .arg(&["id", "pw"])
            .cmd("HMGET")
            .arg(self.failures_key(lookup))
            .arg(&["n", "until"])
            .query_async(&mut self.con())
            .await?;
        let account = match (user_id, password_hash) {
            (Some(user_id), Some(password_hash)) => Some(StoredAccount {
                user_id,
                password_hash,
            }),
            (None, None) => None,
            _ => return Err(StoreError::Corrupt("an account hash is incomplete".into())),
        };
        Ok(LoginState {
            account,
            failures: failures.unwrap_or(0),
            locked_until_ms,
        })
    }

    async fn record_login_failure(
        &self,
        lookup: &str,
        now_ms: i64,
        policy: &LockoutPolicy,
    ) -> Result<u64, StoreError> {
        let failures: u64 = LOGIN_FAILURE
            .key(self.failures_key(lookup))
            .arg(now_ms)
            .arg(policy.threshold)
            .arg(policy.base_ms)
            .arg(policy.max_ms)
            .arg(policy.forget_after_ms)
            .invoke_async(&mut self.con())
            .await?;
        Ok(failures)
    }

    async fn clear_login_failures(&self, lookup: &str) -> Result<(), StoreError> {
        redis::cmd("DEL")
            .arg(self.failures_key(lookup))
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }

    async fn start_family(&self, family: &FamilyId, keys: &FamilyKeys) -> Result<(), StoreError> {
        let code: i64 = START_FAMILY
            .key(self.family_key(family))
            .arg(&keys.authorization_hash)
            .arg(keys.authorization_expires_ms)
            .arg(&keys.refresh_hash)
            .arg(keys.refresh_expires_ms)
            .arg(keys.retain_until_ms)
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "start ticket family",
            }),
            1 => Ok(()),
            other => Err(unexpected_code("start ticket family", other)),
        }
    }

    async fn authorization(&self, family: &FamilyId) -> Result<Option<Authorization>, StoreError> {
        let (key_hash, expires_ms): (Option<String>, Option<i64>) = redis::cmd("HMGET")
            .arg(self.family_key(family))
            .arg(&["a", "ae"])
            .query_async(&mut self.con())
            .await?;
        Ok(key_hash
            .zip(expires_ms)
            .map(|(key_hash, expires_ms)| Authorization {
                key_hash,
                expires_ms,
            }))
    }

    async fn rotate(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
        keys: &FamilyKeys,
        now_ms: i64,
    ) -> Result<Rotation, StoreError> {
        let code: i64 = ROTATE
            .key(self.family_key(family))
            .arg(presented_refresh_hash)
            .arg(&keys.authorization_hash)
            .arg(keys.authorization_expires_ms)
            .arg(&keys.refresh_hash)
            .arg(keys.refresh_expires_ms)
            .arg(now_ms)
            .arg(keys.retain_until_ms)
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "rotate tickets",
            }),
            0 => Ok(Rotation::Invalid),
            1 => Ok(Rotation::Rotated),
            2 => Ok(Rotation::Reused),
            3 => Ok(Rotation::Expired),
            other => Err(unexpected_code("rotate tickets", other)),
        }
    }

    async fn revoke_family(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
    ) -> Result<bool, StoreError> {
        let code: i64 = REVOKE
            .key(self.family_key(family))
            .arg(presented_refresh_hash)
            .invoke_async(&mut self.con())
            .await?;
        Ok(code == 1)
    }
}
