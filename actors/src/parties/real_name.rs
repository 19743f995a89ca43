//! The wallet's real-name record of a payment account: read synchronously by the API to
//! match a credit application's partial real-name info before any saga starts.

use onboard_workflows::domain::{History, IdNumber, PaymentAccountId, PersonName};
use reqwest::StatusCode;
use serde::Deserialize;

use super::{HttpParties, PartyError};

/// What the wallet holds about the person behind a payment account.
#[derive(Debug, Clone, Deserialize)]
pub struct RealNameRecord {
    /// Full real name.
    pub name: PersonName,
    /// Resident id number.
    pub id_number: IdNumber,
    /// Usage history (for the credit limit).
    #[serde(default)]
    pub history: History,
}

impl HttpParties {
    /// The real-name record of an open payment account, or `None` when the wallet knows
    /// no such account. One attempt: the caller is waiting for an answer.
    pub async fn real_name_record(
        &self,
        payment_account_id: &PaymentAccountId,
    ) -> Result<Option<RealNameRecord>, PartyError> {
        let body = serde_json::json!({ "payment_account_id": payment_account_id });
        let answer = self.post("/wallet/real_name_record", None, &body).await?;
        let (status, bytes) = (answer.status, answer.body);
        match status {
            s if s.is_success() => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|_| PartyError::Unexpected {
                        status: s.as_u16(),
                        reason: "the body is not a real-name record",
                    })
            }
            StatusCode::NOT_FOUND => Ok(None),
            other => Err(PartyError::Unavailable(other.as_u16())),
        }
    }
}
