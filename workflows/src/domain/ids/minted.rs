//! The ids Onboard mints for account linking: links and virtual service accounts. Each is a
//! prefix, `_` and 128 random bits in hex, so it is unguessable and carries nothing about
//! the person or the merchant it stands for.

use super::is_lower_hex;
use crate::domain::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt::{self, Write};

/// Hex characters after the prefix: 16 random bytes.
const HEX_LEN: usize = 32;

/// Declares a newtype over a minted id with `prefix`, named `field` in parse errors.
macro_rules! minted_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The id made of 16 random bytes the caller drew.
            pub fn new(random: [u8; 16]) -> Self {
                let mut id = String::with_capacity($prefix.len() + 1 + HEX_LEN);
                id.push_str($prefix);
                id.push('_');
                for byte in random {
                    // Writing to a String cannot fail.
                    let _ = write!(id, "{byte:02x}");
                }
                Self(id)
            }

            /// Parses an id as Onboard writes it; anything else names nothing.
            pub fn parse(raw: &str) -> Result<Self, ParseError> {
                match raw.strip_prefix(concat!($prefix, "_")) {
                    Some(hex) if is_lower_hex(hex, HEX_LEN) => Ok(Self(raw.to_owned())),
                    _ => Err(ParseError::new(
                        $field,
                        concat!("must be ", $prefix, "_ and 32 lowercase hex"),
                    )),
                }
            }

            /// The id as text, for store keys and responses.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        string_id_conversions!($name);
    };
}

minted_id!(
    /// A link between a merchant's user account and a virtual service account, e.g.
    /// `lnk_0c8e5d6b2f7a4e91b3d5a7c9e1f20364`.
    LinkId,
    "lnk",
    "id"
);

minted_id!(
    /// A virtual service account: what a merchant holds instead of the real payment account,
    /// e.g. `va_0c8e5d6b2f7a4e91b3d5a7c9e1f20364`. Random and pairwise: one per merchant and
    /// payment account, never derived from either.
    VirtualAccountId,
    "va",
    "virtual_account_id"
);

#[cfg(test)]
mod tests {
    use super::{LinkId, VirtualAccountId};

    #[test]
    fn a_minted_id_round_trips_and_nothing_else_parses() {
        let id = VirtualAccountId::new([0xab; 16]);
        assert_eq!(id.as_str(), format!("va_{}", "ab".repeat(16)));
        assert_eq!(VirtualAccountId::parse(id.as_str()).unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<VirtualAccountId>(&json).unwrap(), id);
        let hex = "ab".repeat(16);
        for bad in [
            String::new(),
            format!("lnk_{hex}"),
            format!("va_{}", "AB".repeat(16)),
            format!("va_{}", &hex[1..]),
            format!("va_{hex}0"),
            format!("va-{hex}"),
            "va_".to_owned(),
        ] {
            let error = VirtualAccountId::parse(&bad).unwrap_err();
            assert_eq!(error.field, "virtual_account_id", "{bad:?}");
        }
        assert_eq!(LinkId::parse(&format!("va_{hex}")).unwrap_err().field, "id");
        assert!(LinkId::parse(&format!("lnk_{hex}")).is_ok());
    }
}
