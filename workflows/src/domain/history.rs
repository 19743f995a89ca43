//! The usage history the wallet holds for a person and hands to the bank, which derives
//! a new credit account's limit from it.

use serde::{Deserialize, Serialize};

/// How long and how much a person has used their payment account. Not personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct History {
    /// Months in which the account was used.
    pub months_active: u32,
    /// Payments made.
    pub payment_count: u32,
    /// Total paid, a decimal amount such as `"1234.50"`.
    pub payment_volume: String,
}

#[cfg(test)]
mod tests {
    use super::History;

    #[test]
    fn serialises_as_the_party_expects() {
        let history = History {
            months_active: 12,
            payment_count: 40,
            payment_volume: "1234.50".into(),
        };
        let json = serde_json::to_value(&history).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"months_active": 12, "payment_count": 40, "payment_volume": "1234.50"})
        );
        assert_eq!(serde_json::from_value::<History>(json).unwrap(), history);
    }
}
