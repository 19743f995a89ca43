//! Typed identifiers, so that a payment account id can never be passed where a binding id
//! or a workflow id belongs. The ids Onboard makes (workflows, prompts) have an exact
//! shape; the ids a party makes are opaque to Onboard and only bounded. Every id
//! serialises as the plain string it always was.

/// The conversions every string id shares: from a `String` by its `parse`, back into the
/// `String`, and `Display` as the plain id. Invoked by the id-declaring macros.
macro_rules! string_id_conversions {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

mod minted;
mod party;
mod prompt_id;
mod workflow_id;

pub use minted::{LinkId, VirtualAccountId};
pub use party::{BindingId, ChargeId, CreditAccountId, PaymentAccountId};
pub use prompt_id::PromptId;
pub use workflow_id::WorkflowId;

/// Whether `text` is exactly `len` lowercase hex characters, as Onboard writes them.
fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
