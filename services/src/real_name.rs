//! The synchronous front of a credit application: the client's partial real-name info is
//! matched against the wallet's record before any saga starts. A mismatch creates
//! nothing, reveals nothing about the record, and counts against the account.

use std::sync::Arc;

use onboard_actors::parties::{HttpParties, PartyError};
use onboard_actors::store::{AttemptStore, StoreError};
use onboard_workflows::domain::{real_name_matches, IdSuffix, PaymentAccountId, PersonName};
use onboard_workflows::virtual_credit_account::CreditApplicationRequest;

use crate::attempt_limit::{AttemptLimit, AttemptLimitError};

/// Mismatches allowed per account and window; the next attempt is refused.
const MAX_MISMATCHES: u64 = 5;
/// The mismatch window.
const WINDOW_MS: u64 = 60 * 60 * 1000;

/// Why the gate let no application through.
#[derive(Debug, thiserror::Error)]
pub enum RealNameError {
    /// The partial info does not match the wallet's record, or the wallet has none;
    /// which of the two is not said, so that nothing about the record leaks.
    #[error("the real-name information does not match")]
    Mismatch,
    /// The account had too many mismatches; the window lapses within `retry_after_secs`.
    #[error("too many real-name mismatches; retry in {retry_after_secs} s")]
    Limited {
        /// Seconds until the window surely lapsed.
        retry_after_secs: u64,
    },
    /// The wallet gave no definite answer about the record.
    #[error("the real-name record is unavailable: {0}")]
    RecordUnavailable(#[source] PartyError),
    /// The store did not answer, so the mismatches cannot be judged or counted.
    #[error("the mismatch count is unavailable: {0}")]
    CountUnavailable(#[source] StoreError),
}

impl From<AttemptLimitError> for RealNameError {
    fn from(error: AttemptLimitError) -> RealNameError {
        match error {
            AttemptLimitError::Limited { retry_after_secs } => {
                RealNameError::Limited { retry_after_secs }
            }
            AttemptLimitError::Unavailable(error) => RealNameError::CountUnavailable(error),
        }
    }
}

/// Matches partial real-name info and limits repeated mismatches durably.
pub struct RealNameGate {
    parties: HttpParties,
    mismatches: AttemptLimit,
}

impl RealNameGate {
    /// A gate asking `parties` for records and counting mismatches in `store`.
    pub fn new(parties: HttpParties, store: Arc<dyn AttemptStore>) -> RealNameGate {
        RealNameGate {
            parties,
            mismatches: AttemptLimit::new(store, MAX_MISMATCHES, WINDOW_MS),
        }
    }

    /// The wallet's full record of the account when the partial info matches it.
    pub async fn matched(
        &self,
        payment_account_id: &PaymentAccountId,
        name: &PersonName,
        suffix: &IdSuffix,
    ) -> Result<CreditApplicationRequest, RealNameError> {
        let counter = format!("real_name_mismatch:{payment_account_id}");
        // Both reads are independent; a limited account's record is read for nothing,
        // which costs less than making every application wait for two round trips.
        let (open, record) = tokio::join!(
            self.mismatches.ensure_open(&counter),
            self.parties.real_name_record(payment_account_id)
        );
        open?;
        match record.map_err(RealNameError::RecordUnavailable)? {
            Some(record) if real_name_matches(name, suffix, &record.name, &record.id_number) => {
                Ok(CreditApplicationRequest {
                    payment_account_id: payment_account_id.clone(),
                    name: record.name,
                    id_number: record.id_number,
                    history: record.history,
                })
            }
            _ => {
                let count = self.mismatches.count_failure(&counter).await?;
                tracing::info!(mismatches = count, "real-name mismatch");
                Err(RealNameError::Mismatch)
            }
        }
    }
}
