//! A party's reason for a definite refusal, as a typed code.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a party definitely refused a call (it applied nothing). The codes the operations
/// document have their own case, so sagas and the API match on them rather than on
/// strings; a code a party adds later is kept verbatim in [`RefusalCode::Other`].
/// On the wire it is the plain string either way (`"declined"`, `"savings_card_taken"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RefusalCode {
    /// Any operation: the party turned the call down.
    Declined,
    /// `register_account`: the person already holds an open account.
    AccountExists,
    /// `savings_status`, `bind_savings_card`: the payment account does not exist.
    AccountNotFound,
    /// `verify_savings_card`: the card is not a savings card the bank issued.
    NotSavingsCard,
    /// `verify_savings_card`: the card belongs to someone else.
    CardHolderMismatch,
    /// `bind_savings_card`: the account already has a savings binding.
    AlreadyBound,
    /// `create_credit_account`: the person already holds an active credit account.
    CreditAccountExists,
    /// `charge`: the account cannot cover the amount.
    InsufficientFunds,
    /// A code no operation documents yet. Build it with `From`, which maps the documented
    /// codes to their own case, so that equal codes compare equal.
    Other(String),
}

impl RefusalCode {
    /// The code as the party spelled it.
    pub fn as_str(&self) -> &str {
        match self {
            RefusalCode::Declined => "declined",
            RefusalCode::AccountExists => "account_exists",
            RefusalCode::AccountNotFound => "account_not_found",
            RefusalCode::NotSavingsCard => "not_savings_card",
            RefusalCode::CardHolderMismatch => "card_holder_mismatch",
            RefusalCode::AlreadyBound => "already_bound",
            RefusalCode::CreditAccountExists => "credit_account_exists",
            RefusalCode::InsufficientFunds => "insufficient_funds",
            RefusalCode::Other(code) => code,
        }
    }
}

impl From<&str> for RefusalCode {
    fn from(code: &str) -> Self {
        match code {
            "declined" => RefusalCode::Declined,
            "account_exists" => RefusalCode::AccountExists,
            "account_not_found" => RefusalCode::AccountNotFound,
            "not_savings_card" => RefusalCode::NotSavingsCard,
            "card_holder_mismatch" => RefusalCode::CardHolderMismatch,
            "already_bound" => RefusalCode::AlreadyBound,
            "credit_account_exists" => RefusalCode::CreditAccountExists,
            "insufficient_funds" => RefusalCode::InsufficientFunds,
            other => RefusalCode::Other(other.to_owned()),
        }
    }
}

impl From<String> for RefusalCode {
    fn from(code: String) -> Self {
        RefusalCode::from(code.as_str())
    }
}

impl From<RefusalCode> for String {
    fn from(code: RefusalCode) -> Self {
        code.as_str().to_owned()
    }
}

impl fmt::Display for RefusalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::RefusalCode;
    use serde_json::json;

    const DOCUMENTED: [&str; 8] = [
        "declined",
        "account_exists",
        "account_not_found",
        "not_savings_card",
        "card_holder_mismatch",
        "already_bound",
        "credit_account_exists",
        "insufficient_funds",
    ];

    #[test]
    fn documented_codes_have_their_own_case_and_round_trip_as_plain_strings() {
        for wire in DOCUMENTED {
            let code = RefusalCode::from(wire);
            assert!(!matches!(code, RefusalCode::Other(_)), "{wire}");
            assert_eq!(code.as_str(), wire);
            assert_eq!(serde_json::to_value(&code).unwrap(), json!(wire));
            assert_eq!(
                serde_json::from_value::<RefusalCode>(json!(wire)).unwrap(),
                code
            );
        }
    }

    #[test]
    fn an_undocumented_code_is_kept_verbatim() {
        let code = RefusalCode::from("savings_card_taken");
        assert_eq!(code, RefusalCode::Other("savings_card_taken".into()));
        assert_eq!(
            serde_json::to_value(&code).unwrap(),
            json!("savings_card_taken")
        );
        assert_eq!(code.to_string(), "savings_card_taken");
    }
}
