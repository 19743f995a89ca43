//! Why a saga did not complete, as the stable codes of API.md's `error.code`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares [`ErrorCode`] from one table of variants and wire names, so that the serde
/// spelling and [`ErrorCode::as_str`] cannot drift apart unnoticed (a test compares them).
macro_rules! error_codes {
    ($($(#[$doc:meta])* $code:ident = $wire:literal,)+) => {
        /// The stable snake_case code of a saga's `error`: clients branch on it, so every
        /// code a saga can end with is a case here and is spelled on the wire as before.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $code,)+
        }

        impl ErrorCode {
            /// The stable wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$code => $wire,)+
                }
            }
        }

        #[cfg(test)]
        const ALL: &[ErrorCode] = &[$(ErrorCode::$code,)+];
    };
}

error_codes! {
    /// Registration: the wallet refused to look the person up.
    PersonLookupRefused = "person_lookup_refused",
    /// Registration: the wallet refused to register an account.
    RegistrationRefused = "registration_refused",
    /// Registration: the bank declined the card.
    CardDeclined = "card_declined",
    /// Registration: the wallet refused to bind the card.
    BindingRefused = "binding_refused",
    /// Registration: the wallet refused to decide on its security rule.
    SecurityRuleRefused = "security_rule_refused",
    /// Registration: the person rejected the security prompt.
    SecurityRejected = "security_rejected",
    /// Registration: the security prompt lapsed undecided.
    SecurityTimeout = "security_timeout",
    /// Credit application: the bank refused to look for a credit account.
    CreditLookupRefused = "credit_lookup_refused",
    /// Credit application: the wallet refused to report the savings binding.
    SavingsStatusRefused = "savings_status_refused",
    /// Credit application: the bank refused to create the credit account.
    CreditCreationRefused = "credit_creation_refused",
    /// Credit application: no savings card was bound before the deadline.
    SavingsBindingTimeout = "savings_binding_timeout",
    /// Service request: the wallet found the account could not cover the charge.
    InsufficientFunds = "insufficient_funds",
    /// Service request: the wallet refused the charge for another reason.
    ChargeRefused = "charge_refused",
    /// An operator cancelled the saga.
    Cancelled = "cancelled",
    /// An undo could not finish; an operator must act.
    CompensationFailed = "compensation_failed",
    /// A party answered in a shape the step cannot read.
    PartyProtocolError = "party_protocol_error",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{ErrorCode, ALL};

    #[test]
    fn the_wire_name_is_the_serde_name() {
        for code in ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), *code);
        }
    }
}
