//! The linking service over the link store.

use std::sync::Arc;

use chrono::Utc;
use hmac::{Hmac, Mac};
use onboard_actors::seal::Sealer;
use onboard_actors::store::{
    Completed, Exchanged, LinkStore, NewLink, NewVirtualAccount, Revoked, StoredLink,
    StoredVirtualAccount,
};
use onboard_workflows::domain::{LinkId, PaymentAccountId, VirtualAccountId};
use sha2::Sha256;

use super::token::LinkToken;
use super::views::{LinkStatus, LinkView, Minted, VirtualAccountStatus, VirtualAccountView};
use super::LinkError;
use crate::instant::instant;

/// What the keyed hash of a payment account is computed over, before the account id, so
/// that it never equals a keyed hash made for another purpose with the same key.
const ACCOUNT_KEY_CONTEXT: &[u8] = b"onboard/virtual-account/v1\0";

/// The service's configuration (the `links` settings).
#[derive(Debug, Clone, Copy)]
pub struct LinkParams {
    /// How long a link token can be exchanged.
    pub token_ttl_secs: u64,
}

/// Links and virtual accounts, over the link store.
pub struct Links {
    store: Arc<dyn LinkStore>,
    sealer: Sealer,
    lookup_key: Vec<u8>,
    params: LinkParams,
}

impl Links {
    /// The service over `store`; the real accounts and the merchants' user references are
    /// sealed with `sealer`, and accounts are found by their HMAC under `lookup_key`.
    pub fn new(
        store: Arc<dyn LinkStore>,
        sealer: Sealer,
        lookup_key: Vec<u8>,
        params: LinkParams,
    ) -> Links {
        Links {
            store,
            sealer,
            lookup_key,
            params,
        }
    }

    /// Creates `merchant`'s pending link for its user; answers the link and its token,
    /// which is shown this once.
    pub async fn create(
        &self,
        merchant: &str,
        merchant_user_ref: &str,
    ) -> Result<(LinkView, LinkToken), LinkError> {
        let id = LinkId::new(rand::random());
        let token = LinkToken::generate();
        let now_ms = Utc::now().timestamp_millis();
        let ttl_ms =
            i64::try_from(self.params.token_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        let link = NewLink {
            id: id.to_string(),
            merchant_id: merchant.to_owned(),
            sealed_user_ref: self
                .sealer
                .seal_bytes(id.as_str().as_bytes(), merchant_user_ref.as_bytes()),
            token_hash: token.hash(),
            created_at_ms: now_ms,
            expires_at_ms: now_ms.saturating_add(ttl_ms),
        };
        self.store.create_link(&link).await?;
        let view = LinkView {
            id,
            merchant_user_ref: merchant_user_ref.to_owned(),
            status: LinkStatus::Pending,
            virtual_account_id: None,
            expires_at: instant(link.expires_at_ms),
            created_at: instant(now_ms),
            updated_at: instant(now_ms),
        };
        Ok((view, token))
    }

    /// `merchant`'s link `id`; another merchant's reads as not found.
    pub async fn link(&self, merchant: &str, id: &LinkId) -> Result<LinkView, LinkError> {
        match self.store.link(id.as_str()).await? {
            Some(link) if link.merchant_id == merchant => self.view(id, link),
            _ => Err(LinkError::NotFound),
        }
    }

    /// The wallet's exchange, for the user's terminal, of a link token and the user's
    /// payment account for the merchant's virtual account: the one the merchant already
    /// holds for the account while it is not revoked, else a new random one.
    pub async fn exchange(
        &self,
        wallet: &str,
        account: &PaymentAccountId,
        token: &str,
    ) -> Result<Minted, LinkError> {
        let token = LinkToken::presented(token).ok_or(LinkError::TokenNotFound)?;
        let candidate_id = VirtualAccountId::new(rand::random());
        let now_ms = Utc::now().timestamp_millis();
        let candidate = NewVirtualAccount {
            id: candidate_id.to_string(),
            sealed_account: self.sealer.seal_bytes(
                candidate_id.as_str().as_bytes(),
                account.as_str().as_bytes(),
            ),
            account_key: self.account_key(account),
            wallet_id: wallet.to_owned(),
            created_at_ms: now_ms,
        };
        match self
            .store
            .exchange(&token.hash(), &candidate, now_ms)
            .await?
        {
            Exchanged::NotFound => Err(LinkError::TokenNotFound),
            Exchanged::Minted {
                virtual_account_id,
                merchant_id,
            } => Ok(Minted {
                virtual_account_id: stored_id(&virtual_account_id)?,
                merchant_id,
            }),
        }
    }

    /// Completes `merchant`'s link `id` with the virtual account its exchange minted.
    pub async fn complete(
        &self,
        merchant: &str,
        id: &LinkId,
        virtual_account: &VirtualAccountId,
    ) -> Result<LinkView, LinkError> {
        let now_ms = Utc::now().timestamp_millis();
        let completed = self
            .store
            .complete(id.as_str(), merchant, virtual_account.as_str(), now_ms)
            .await?;
        match completed {
            Completed::Linked(link) => self.view(id, link),
            Completed::NotFound => Err(LinkError::NotFound),
            Completed::Mismatch => Err(LinkError::Mismatch),
        }
    }

    /// The real payment account behind `merchant`'s virtual account, in one store round
    /// trip: for the saga that serves the merchant's request, never for the merchant.
    pub async fn resolve(
        &self,
        merchant: &str,
        virtual_account: &VirtualAccountId,
    ) -> Result<PaymentAccountId, LinkError> {
        let stored = self
            .store
            .virtual_account(virtual_account.as_str())
            .await?
            .filter(|stored| stored.merchant_id == merchant)
            .ok_or(LinkError::NotFound)?;
        if stored.revoked_at_ms.is_some() {
            return Err(LinkError::Revoked);
        }
        self.real_account(&stored)
    }

    /// `wallet`'s virtual accounts (active and revoked) of the payment account, oldest
    /// first: what the user linked, for the wallet's settings screen.
    pub async fn virtual_accounts(
        &self,
        wallet: &str,
        account: &PaymentAccountId,
    ) -> Result<Vec<VirtualAccountView>, LinkError> {
        let stored = self
            .store
            .virtual_accounts_of(&self.account_key(account))
            .await?;
        stored
            .into_iter()
            .filter(|stored| stored.wallet_id == wallet)
            .map(|stored| {
                Ok(VirtualAccountView {
                    virtual_account_id: stored_id(&stored.id)?,
                    merchant_id: stored.merchant_id,
                    status: match stored.revoked_at_ms {
                        Some(_) => VirtualAccountStatus::Revoked,
                        None => VirtualAccountStatus::Active,
                    },
                    created_at: instant(stored.created_at_ms),
                })
            })
            .collect()
    }

    /// Revokes `wallet`'s virtual account: service requests with it are refused from now
    /// on, and its links read `revoked`. Revoking twice is revoking once.
    pub async fn revoke(
        &self,
        wallet: &str,
        virtual_account: &VirtualAccountId,
    ) -> Result<(), LinkError> {
        let now_ms = Utc::now().timestamp_millis();
        match self
            .store
            .revoke(virtual_account.as_str(), wallet, now_ms)
            .await?
        {
            Revoked::Revoked => Ok(()),
            Revoked::NotFound => Err(LinkError::NotFound),
        }
    }

    /// The keyed hash by which a payment account's virtual accounts are found: without the
    /// key it cannot be tested against a list of account ids.
    fn account_key(&self, account: &PaymentAccountId) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.lookup_key).expect("HMAC takes any key length");
        mac.update(ACCOUNT_KEY_CONTEXT);
        mac.update(account.as_str().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The real account sealed in a virtual account (one that is not revoked, so retention
    /// has not forgotten it).
    fn real_account(&self, stored: &StoredVirtualAccount) -> Result<PaymentAccountId, LinkError> {
        let sealed = stored
            .sealed_account
            .as_deref()
            .ok_or_else(|| corrupt("a virtual account's real account"))?;
        let plain = self.sealer.open_bytes(stored.id.as_bytes(), sealed)?;
        let text = String::from_utf8(plain).map_err(|_| corrupt("a sealed account"))?;
        PaymentAccountId::parse(&text).map_err(|_| corrupt("a sealed account"))
    }

    /// The merchant's view of a stored link at this instant.
    fn view(&self, id: &LinkId, link: StoredLink) -> Result<LinkView, LinkError> {
        let user_ref = self
            .sealer
            .open_bytes(id.as_str().as_bytes(), &link.sealed_user_ref)?;
        let merchant_user_ref =
            String::from_utf8(user_ref).map_err(|_| corrupt("a sealed user reference"))?;
        let now_ms = Utc::now().timestamp_millis();
        let status = if link.revoked {
            LinkStatus::Revoked
        } else if link.linked {
            LinkStatus::Linked
        } else if link.virtual_account_id.is_none() && now_ms >= link.expires_at_ms {
            LinkStatus::Expired
        } else {
            LinkStatus::Pending
        };
        let shown = match status {
            LinkStatus::Linked | LinkStatus::Revoked => link.virtual_account_id.as_deref(),
            LinkStatus::Pending | LinkStatus::Expired => None,
        };
        Ok(LinkView {
            id: id.clone(),
            merchant_user_ref,
            status,
            virtual_account_id: shown.map(stored_id).transpose()?,
            expires_at: instant(link.expires_at_ms),
            created_at: instant(link.created_at_ms),
            updated_at: instant(link.updated_at_ms),
        })
    }
}

/// A virtual account id the store holds; one that does not parse was altered.
fn stored_id(raw: &str) -> Result<VirtualAccountId, LinkError> {
    VirtualAccountId::parse(raw).map_err(|_| corrupt("a virtual account id"))
}

fn corrupt(what: &str) -> LinkError {
    LinkError::Unavailable(onboard_actors::store::StoreError::Corrupt(format!(
        "{what} in the link store does not parse"
    )))
}
