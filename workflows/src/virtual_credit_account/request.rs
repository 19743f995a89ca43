//! What the wallet's matched real-name record contributes to start a credit application.

use crate::domain::{History, IdNumber, PaymentAccountId, PersonName};
use serde::{Deserialize, Serialize};

/// The validated input of a credit application: the wallet's full real-name record that
/// the client's partial info matched, never the partial info itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplicationRequest {
    /// The wallet account applying (not personal data).
    pub payment_account_id: PaymentAccountId,
    /// The real name on the wallet's record.
    pub name: PersonName,
    /// The resident id on the wallet's record.
    pub id_number: IdNumber,
    /// The usage history the bank derives the credit limit from.
    pub history: History,
}
