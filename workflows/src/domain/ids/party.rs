//! The ids a party makes: payment accounts and bindings (the wallet), credit accounts
//! (the bank). Their shape is the party's business (the sandbox's are a prefix and 24
//! hex), so Onboard takes any it can carry safely: 1 to 128 characters, none a control
//! character, surrounding white space dropped. That is also what the API has always
//! accepted for a `payment_account_id` a client sends.

use crate::domain::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest party id, in characters.
const MAX_CHARS: usize = 128;

/// Checks an id a party made (or a client repeats) and gives it trimmed.
fn opaque(field: &'static str, raw: &str) -> Result<String, ParseError> {
    let id = raw.trim();
    let chars = id.chars().count();
    if !(1..=MAX_CHARS).contains(&chars) || id.chars().any(char::is_control) {
        return Err(ParseError::new(
            field,
            "must be 1 to 128 printable characters",
        ));
    }
    Ok(id.to_owned())
}

/// Declares a newtype over an opaque party id, named `field` in parse errors.
macro_rules! party_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses the id as a party sent it or a client repeats it.
            pub fn parse(raw: &str) -> Result<Self, ParseError> {
                opaque($field, raw).map(Self)
            }

            /// The id as text, for party calls and the store's index keys.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_id_conversions!($name);
    };
}

party_id!(
    /// A payment account at the wallet, e.g. `pa_…` in the sandbox: what a registration
    /// finds or opens, and what a credit application is for.
    PaymentAccountId,
    "payment_account_id"
);

party_id!(
    /// A card or savings binding at the wallet, e.g. `bd_…` in the sandbox: what an undo
    /// removes and what a credit account draws on.
    BindingId,
    "binding_id"
);

party_id!(
    /// A credit account at the bank, e.g. `cr_…` in the sandbox: what a credit
    /// application finds or opens.
    CreditAccountId,
    "credit_account_id"
);

party_id!(
    /// A charge the wallet made on a payment account, e.g. `ch_…` in the sandbox: what a
    /// service request reports once the wallet charged.
    ChargeId,
    "charge_id"
);

#[cfg(test)]
mod tests {
    use super::{BindingId, CreditAccountId, PaymentAccountId};
    use crate::domain::ParseError;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::fmt::Debug;

    /// Malformed for every party id.
    const MALFORMED: [&str; 6] = ["", "   ", "pa_\n1", "bd\u{0}1", "\u{7f}", "a\u{85}b"];

    fn check<T>(parse: fn(&str) -> Result<T, ParseError>, today: &str, field: &str)
    where
        T: Debug + PartialEq + Serialize + DeserializeOwned + ToString,
    {
        let id = parse(today).unwrap();
        assert_eq!(id.to_string(), today);
        assert_eq!(parse(&format!(" {today}\t")).unwrap(), id, "trimmed");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{today}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), id);
        let long = "x".repeat(129);
        for bad in MALFORMED.iter().copied().chain([long.as_str()]) {
            assert_eq!(parse(bad).unwrap_err().field, field, "{bad:?}");
            let json = serde_json::to_string(bad).unwrap();
            assert!(serde_json::from_str::<T>(&json).is_err(), "{bad:?}");
        }
        let longest = "长".repeat(128);
        assert_eq!(parse(&longest).unwrap().to_string(), longest);
    }

    #[test]
    fn payment_account_ids_are_opaque_but_bounded() {
        check(
            PaymentAccountId::parse,
            "pa_4f1c2b9a8d7e6f5a4b3c2d1e",
            "payment_account_id",
        );
        assert_eq!(
            PaymentAccountId::parse("").unwrap_err().to_string(),
            "payment_account_id: must be 1 to 128 printable characters"
        );
    }

    #[test]
    fn binding_ids_are_opaque_but_bounded() {
        check(
            BindingId::parse,
            "bd_0a1b2c3d4e5f60718293a4b5",
            "binding_id",
        );
    }

    #[test]
    fn credit_account_ids_are_opaque_but_bounded() {
        check(
            CreditAccountId::parse,
            "cr_9e8d7c6b5a4f3e2d1c0b9a87",
            "credit_account_id",
        );
        // Accounts the sandbox bank opened before it used `cr_`.
        check(
            CreditAccountId::parse,
            "ca_9e8d7c6b5a4f3e2d1c0b9a87",
            "credit_account_id",
        );
    }
}
