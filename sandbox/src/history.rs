//! The usage history the wallet keeps for a person and hands to the bank,
//! which derives the limit of a new credit account from it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::money::{format_cents, parse_cents};

/// How long and how much a person has used their payment account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct History {
    /// Months in which the account was used.
    #[serde(deserialize_with = "crate::validate::whole_number")]
    #[schema(format = Int64, maximum = 4294967295_u64)]
    pub months_active: u32,
    /// Payments made.
    #[serde(deserialize_with = "crate::validate::whole_number")]
    #[schema(format = Int64, maximum = 4294967295_u64)]
    pub payment_count: u32,
    /// Total paid, a decimal amount in yuan (written back with two decimals).
    #[schema(schema_with = crate::money::amount_schema)]
    pub payment_volume: String,
}

impl Default for History {
    /// A person without history: all zeros.
    fn default() -> History {
        History {
            months_active: 0,
            payment_count: 0,
            payment_volume: format_cents(0),
        }
    }
}

impl History {
    /// Validates the history and writes its volume with two decimals, so that
    /// what is stored and shown is always in the API's money format.
    pub(crate) fn normalized(self) -> Result<History, ApiError> {
        let cents = parse_cents("history.payment_volume", &self.payment_volume)?;
        Ok(History {
            payment_volume: format_cents(cents),
            ..self
        })
    }

    /// The payment volume in cents; `0` for a volume that does not parse,
    /// which [`History::normalized`] never lets through.
    pub(crate) fn volume_cents(&self) -> u64 {
        parse_cents("history.payment_volume", &self.payment_volume).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_the_volume_to_two_decimals() {
        let history = History {
            months_active: 3,
            payment_count: 4,
            payment_volume: "1234.5".into(),
        };
        let normalized = history.normalized().unwrap();
        assert_eq!(normalized.payment_volume, "1234.50");
        assert_eq!(normalized.volume_cents(), 123_450);
        assert_eq!(History::default().payment_volume, "0.00");
    }

    #[test]
    fn rejects_a_malformed_volume() {
        let history = History {
            payment_volume: "12.345".into(),
            ..History::default()
        };
        assert!(history.normalized().is_err());
    }
}
