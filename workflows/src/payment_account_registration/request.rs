//! What a bank sends to start a registration, already parsed.

use crate::domain::{CardNumber, IdNumber, PersonName, Phone};
use serde::{Deserialize, Serialize};

/// The validated input of a payment-account registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRequest {
    /// The bank's own reference for its user (not personal data).
    pub bank_user_ref: String,
    /// The person's real name.
    pub name: PersonName,
    /// The person's resident id.
    pub id_number: IdNumber,
    /// The person's phone.
    pub phone: Phone,
    /// The card to bind.
    pub card_number: CardNumber,
}
