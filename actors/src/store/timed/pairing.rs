//! Pairing codes within the time limit.

use async_trait::async_trait;

use super::TimedStore;
use crate::store::{Claimed, CodeClaim, CodeIssue, Issued, PairingStore, StoreError};

#[async_trait]
impl<S: PairingStore> PairingStore for TimedStore<S> {
    async fn issue_code(&self, issue: &CodeIssue<'_>) -> Result<Issued, StoreError> {
        self.within("pairing_issue", self.inner.issue_code(issue))
            .await
    }

    async fn claim_code(&self, claim: &CodeClaim<'_>) -> Result<Claimed, StoreError> {
        self.within("pairing_claim", self.inner.claim_code(claim))
            .await
    }
}
