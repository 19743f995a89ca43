//! Accounts and ticket families within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{
    AccountCreated, Authorization, FamilyId, FamilyKeys, LockoutPolicy, LoginState, NewAccount,
    Rotation, StoreError, TicketStore,
};

#[async_trait]
impl<S: TicketStore> TicketStore for TimedStore<S> {
    async fn create_account(&self, account: &NewAccount) -> Result<AccountCreated, StoreError> {
        self.within("create_account", self.inner.create_account(account))
            .await
    }

    async fn login_state(&self, lookup: &str) -> Result<LoginState, StoreError> {
        self.within("login_state", self.inner.login_state(lookup))
            .await
    }

    async fn record_login_failure(
        &self,
        lookup: &str,
        now_ms: i64,
        policy: &LockoutPolicy,
    ) -> Result<u64, StoreError> {
        let record = self.inner.record_login_failure(lookup, now_ms, policy);
        self.within("record_login_failure", record).await
    }

    async fn clear_login_failures(&self, lookup: &str) -> Result<(), StoreError> {
        self.within(
            "clear_login_failures",
            self.inner.clear_login_failures(lookup),
        )
        .await
    }

    async fn start_family(&self, family: &FamilyId, keys: &FamilyKeys) -> Result<(), StoreError> {
        self.within("start_family", self.inner.start_family(family, keys))
            .await
    }

    async fn authorization(&self, family: &FamilyId) -> Result<Option<Authorization>, StoreError> {
        self.within("authorization", self.inner.authorization(family))
            .await
    }

    async fn rotate(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
        keys: &FamilyKeys,
        now_ms: i64,
    ) -> Result<Rotation, StoreError> {
        let rotate = self
            .inner
            .rotate(family, presented_refresh_hash, keys, now_ms);
        self.within("rotate", rotate).await
    }

    async fn revoke_family(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
    ) -> Result<bool, StoreError> {
        let revoke = self.inner.revoke_family(family, presented_refresh_hash);
        self.within("revoke_family", revoke).await
    }
}
