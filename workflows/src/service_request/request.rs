//! What a merchant's service request carries once its virtual id is resolved.

use crate::domain::{Money, ParseError, PaymentAccountId, VirtualAccountId};
use serde::{Deserialize, Serialize};

/// The operations a merchant may request with a virtual service account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceOperation {
    /// Charge the linked payment account.
    Charge,
}

impl ServiceOperation {
    /// Parses the operation's wire name.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "charge" => Ok(ServiceOperation::Charge),
            _ => Err(ParseError::new("operation", "must be charge")),
        }
    }

    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceOperation::Charge => "charge",
        }
    }
}

/// The validated input of a service request. The real payment account is here only because
/// the wallet needs it; it lives in the sealed state and never reaches the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRequestOrder {
    /// The merchant (caller id) that sent the request.
    pub merchant_id: String,
    /// The virtual id the merchant used.
    pub virtual_account_id: VirtualAccountId,
    /// The real account behind it.
    pub payment_account_id: PaymentAccountId,
    /// What to do.
    pub operation: ServiceOperation,
    /// How much.
    pub amount: Money,
}
