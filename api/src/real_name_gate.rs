//! The synchronous front of a credit application: the client's partial real-name info is
//! matched against the wallet's record before any saga starts. A mismatch creates
//! nothing, reveals nothing about the record, and counts against the account.

use std::sync::Arc;

use onboard_actors::parties::HttpParties;
use onboard_actors::store::SagaStore;
use onboard_workflows::domain::{real_name_matches, IdSuffix, PersonName};
use onboard_workflows::virtual_credit_account::CreditApplicationRequest;

use crate::attempt_limit::AttemptLimit;
use crate::problem::ApiError;

/// Mismatches allowed per account and window; the next attempt is refused with 429.
const MAX_MISMATCHES: u64 = 5;
/// The mismatch window.
const WINDOW_MS: u64 = 60 * 60 * 1000;

/// Matches partial real-name info and limits repeated mismatches durably.
pub struct RealNameGate {
    parties: HttpParties,
    mismatches: AttemptLimit,
}

impl RealNameGate {
    /// A gate asking `parties` for records and counting mismatches in `store`.
    pub fn new(parties: HttpParties, store: Arc<dyn SagaStore>) -> RealNameGate {
        RealNameGate {
            parties,
            mismatches: AttemptLimit::new(store, MAX_MISMATCHES, WINDOW_MS),
        }
    }

    /// The wallet's full record of the account when the partial info matches it.
    pub async fn matched(
        &self,
        payment_account_id: &str,
        name: &PersonName,
        suffix: &IdSuffix,
    ) -> Result<CreditApplicationRequest, ApiError> {
        let counter = format!("real_name_mismatch:{payment_account_id}");
        // Both reads are independent; a limited account's record is read for nothing,
        // which costs less than making every application wait for two round trips.
        let (open, record) = tokio::join!(
            self.mismatches.ensure_open(&counter),
            self.parties.real_name_record(payment_account_id)
        );
        open?;
        let record = record.map_err(|error| {
            tracing::warn!(%error, "real-name record unavailable");
            ApiError::Unavailable
        })?;
        match record {
            Some(record) if real_name_matches(name, suffix, &record.name, &record.id_number) => {
                Ok(CreditApplicationRequest {
                    payment_account_id: payment_account_id.to_owned(),
                    name: record.name,
                    id_number: record.id_number,
                    history: record.history,
                })
            }
            _ => {
                let count = self.mismatches.count_failure(&counter).await?;
                tracing::info!(mismatches = count, "real-name mismatch");
                Err(ApiError::RealNameMismatch)
            }
        }
    }
}
