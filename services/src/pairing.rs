//! Proximity pairing (seed 002): a wallet user asks for a six-digit code at their place;
//! a second user nearby types it and gets the first user's masked account details, so the
//! two can pay or connect face to face. A code is unique only among live codes whose
//! ranges overlap, which keeps it short; guessing is limited per claimant.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onboard_actors::parties::{HttpParties, PartyError};
use onboard_actors::store::{
    AttemptStore, Claimed, CodeClaim, CodeIssue, Issued, PairingStore, StoreError,
};
use onboard_workflows::domain::{GeoPoint, PairingCode, PairingOperation, PaymentAccountId};
use onboard_workflows::{CallOutcome, PartyCall, PartyReply};
use serde::{Deserialize, Serialize};

use crate::attempt_limit::{AttemptLimit, AttemptLimitError};

/// Failed claims allowed per claimant account and window; the next claim is refused.
const MAX_FAILED_CLAIMS: u64 = 5;
/// The failed-claim window: ten minutes.
const FAILED_CLAIMS_WINDOW_MS: u64 = 10 * 60 * 1000;

/// Why pairing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PairingError {
    /// The wallet knows no open account with this id.
    #[error("the wallet knows no open account with this id")]
    AccountNotFound,
    /// No live code of another account in range: wrong, used, expired, far, or the
    /// claimant's own (which of these is not said).
    #[error("no such pairing code in range")]
    CodeNotFound,
    /// Every code is taken near this place; one frees within `retry_after_secs`.
    #[error("every pairing code is taken near this place; retry in {retry_after_secs} s")]
    Exhausted {
        /// Seconds until the live codes near the place have surely lapsed.
        retry_after_secs: u64,
    },
    /// The claimant failed too often; the window lapses within `retry_after_secs`.
    #[error("too many failed claims; retry in {retry_after_secs} s")]
    Limited {
        /// Seconds until the window surely lapsed.
        retry_after_secs: u64,
    },
    /// The wallet gave no definite answer about the account.
    #[error("the account profile is unavailable: {0}")]
    ProfileUnavailable(#[source] PartyError),
    /// The store did not answer.
    #[error("the pairing store is unavailable: {0}")]
    StoreUnavailable(#[from] StoreError),
}

impl From<AttemptLimitError> for PairingError {
    fn from(error: AttemptLimitError) -> PairingError {
        match error {
            AttemptLimitError::Limited { retry_after_secs } => {
                PairingError::Limited { retry_after_secs }
            }
            AttemptLimitError::Unavailable(error) => PairingError::StoreUnavailable(error),
        }
    }
}

/// How codes are issued: the range's radius and the codes' life.
#[derive(Debug, Clone, Copy)]
pub struct PairingPolicy {
    /// The radius of a code's range (`pairing.radius_m`).
    pub radius_m: u32,
    /// How long a code lives (`pairing.ttl_secs`).
    pub ttl_secs: u64,
}

/// A code just issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The six digits to show.
    pub code: PairingCode,
    /// When it stops being claimable.
    pub expires_at: DateTime<Utc>,
    /// The radius of its range.
    pub radius_m: u32,
}

/// What a claimant learns about the issuer: the account to pay or add, and its holder's
/// name masked. Kept with the code in the store, so that a claim needs no party call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedAccount {
    /// The issuer's payment account.
    pub payment_account_id: PaymentAccountId,
    /// The holder's display name, masked (first character, the rest starred).
    pub display_name: String,
    /// What the two pair for.
    pub operation: PairingOperation,
}

/// Issues and claims pairing codes.
pub struct Pairing {
    parties: HttpParties,
    store: Arc<dyn PairingStore>,
    failed_claims: AttemptLimit,
    policy: PairingPolicy,
}

impl Pairing {
    /// Pairing over `store`, asking `parties` for display names and counting failed claims
    /// in `attempts`.
    pub fn new(
        parties: HttpParties,
        store: Arc<dyn PairingStore>,
        attempts: Arc<dyn AttemptStore>,
        policy: PairingPolicy,
    ) -> Pairing {
        Pairing {
            parties,
            store,
            failed_claims: AttemptLimit::new(attempts, MAX_FAILED_CLAIMS, FAILED_CLAIMS_WINDOW_MS),
            policy,
        }
    }

    /// Issues a code for `account` of the wallet `wallet` at `at`, replacing the account's
    /// live one.
    pub async fn issue(
        &self,
        wallet: &str,
        account: &PaymentAccountId,
        at: GeoPoint,
        operation: PairingOperation,
    ) -> Result<IssuedCode, PairingError> {
        let paired = PairedAccount {
            payment_account_id: account.clone(),
            display_name: self.display_name(account).await?,
            operation,
        };
        let record = serde_json::to_vec(&paired)
            .map_err(|e| StoreError::Corrupt(format!("pairing record: {e}")))?;
        let issued = self
            .store
            .issue_code(&CodeIssue {
                scope: wallet,
                account: account.as_str(),
                at,
                radius_m: self.policy.radius_m,
                ttl_ms: self.policy.ttl_secs.saturating_mul(1000),
                record: &record,
                seed: uuid::Uuid::new_v4().as_u64_pair().0,
            })
            .await?;
        match issued {
            Issued::Code {
                code,
                expires_at_ms,
            } => {
                tracing::info!("pairing code issued");
                Ok(IssuedCode {
                    code,
                    expires_at: DateTime::from_timestamp_millis(expires_at_ms)
                        .unwrap_or(DateTime::<Utc>::MAX_UTC),
                    radius_m: self.policy.radius_m,
                })
            }
            Issued::Exhausted => {
                tracing::warn!("pairing codes exhausted near a place");
                Err(PairingError::Exhausted {
                    retry_after_secs: self.policy.ttl_secs.max(1),
                })
            }
        }
    }

    /// Claims `code` for `claimant`, an account of the wallet `wallet`, standing at `at`:
    /// the issuer's account (of the same wallet), once.
    pub async fn claim(
        &self,
        wallet: &str,
        claimant: &PaymentAccountId,
        at: GeoPoint,
        code: PairingCode,
    ) -> Result<PairedAccount, PairingError> {
        let counter = format!("pairing_claim_failures:{wallet}|{claimant}");
        self.failed_claims.ensure_open(&counter).await?;
        let claimed = self
            .store
            .claim_code(&CodeClaim {
                scope: wallet,
                code,
                claimant: claimant.as_str(),
                at,
                radius_m: self.policy.radius_m,
            })
            .await?;
        match claimed {
            Claimed::Record(record) => serde_json::from_slice(&record).map_err(|e| {
                PairingError::from(StoreError::Corrupt(format!("pairing record: {e}")))
            }),
            Claimed::NotFound => {
                let failures = self.failed_claims.count_failure(&counter).await?;
                tracing::info!(failures, "pairing claim found no code");
                Err(PairingError::CodeNotFound)
            }
        }
    }

    /// The account holder's display name as the wallet shows it, masked. One attempt:
    /// the person is waiting for the code.
    async fn display_name(&self, account: &PaymentAccountId) -> Result<String, PairingError> {
        let call = PartyCall::AccountProfile {
            payment_account_id: account.clone(),
        };
        let key = format!("pairing-{}", uuid::Uuid::new_v4());
        match self.parties.call(&call, &key).await {
            Ok(CallOutcome::Succeeded(PartyReply::AccountProfiled { display_name })) => {
                Ok(display_name.masked())
            }
            Ok(CallOutcome::Refused { .. }) => Err(PairingError::AccountNotFound),
            Ok(CallOutcome::Succeeded(_)) => {
                Err(PairingError::ProfileUnavailable(PartyError::Unexpected {
                    status: 200,
                    reason: "the answer is not an account profile",
                }))
            }
            Err(error) => Err(PairingError::ProfileUnavailable(error)),
        }
    }
}
