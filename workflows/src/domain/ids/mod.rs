//! Typed identifiers, so that a payment account id can never be passed where a binding id
//! or a workflow id belongs. The ids Onboard makes (workflows, prompts) have an exact
//! shape; the ids a party makes are opaque to Onboard and only bounded. Every id
//! serialises as the plain string it always was.

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
