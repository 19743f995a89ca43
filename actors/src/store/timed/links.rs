//! Links and virtual accounts within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoreError, StoredLink,
    StoredVirtualAccount,
};

#[async_trait]
impl<S: LinkStore> LinkStore for TimedStore<S> {
    async fn create_link(&self, link: &NewLink) -> Result<(), StoreError> {
        self.within("link_create", self.inner.create_link(link))
            .await
    }

    async fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError> {
        self.within("link_read", self.inner.link(id)).await
    }

    async fn exchange(
        &self,
        token_hash: &str,
        candidate: &NewVirtualAccount,
        now_ms: i64,
    ) -> Result<Exchanged, StoreError> {
        self.within(
            "link_exchange",
            self.inner.exchange(token_hash, candidate, now_ms),
        )
        .await
    }

    async fn complete(
        &self,
        link_id: &str,
        merchant_id: &str,
        virtual_account_id: &str,
        now_ms: i64,
    ) -> Result<Completed, StoreError> {
        self.within(
            "link_complete",
            self.inner
                .complete(link_id, merchant_id, virtual_account_id, now_ms),
        )
        .await
    }

    async fn virtual_account(&self, id: &str) -> Result<Option<StoredVirtualAccount>, StoreError> {
        self.within("virtual_account_read", self.inner.virtual_account(id))
            .await
    }

    async fn virtual_accounts_of(
        &self,
        account_key: &str,
    ) -> Result<Vec<StoredVirtualAccount>, StoreError> {
        self.within(
            "virtual_account_list",
            self.inner.virtual_accounts_of(account_key),
        )
        .await
    }

    async fn revoke(&self, id: &str, wallet_id: &str, now_ms: i64) -> Result<Revoked, StoreError> {
        self.within(
            "virtual_account_revoke",
            self.inner.revoke(id, wallet_id, now_ms),
        )
        .await
    }
}
