//! Ids for the tests, parsed from the short forms the tests write.

use crate::domain::{BindingId, CreditAccountId, PaymentAccountId, PromptId, WorkflowId};

/// The id of the workflow every test saga runs as.
pub(crate) fn workflow() -> WorkflowId {
    WorkflowId::parse("wf_00000000000000000000000000000001").expect("a workflow id")
}

/// The prompt of the test workflow with `nonce`.
pub(crate) fn prompt(nonce: u64) -> PromptId {
    PromptId::new(workflow(), nonce)
}

/// A payment account id, e.g. `pa_0`.
pub(crate) fn account(id: &str) -> PaymentAccountId {
    PaymentAccountId::parse(id).expect("a payment account id")
}

/// A binding id, e.g. `bd_0`.
pub(crate) fn binding(id: &str) -> BindingId {
    BindingId::parse(id).expect("a binding id")
}

/// A credit account id, e.g. `cr_0`.
pub(crate) fn credit_account(id: &str) -> CreditAccountId {
    CreditAccountId::parse(id).expect("a credit account id")
}
