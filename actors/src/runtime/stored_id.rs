//! Ids read back from the store: the store keeps them as text, the runtime works with
//! [`WorkflowId`]s.

use onboard_workflows::domain::WorkflowId;

/// The workflow id the store holds as `raw`. Onboard only ever stored ids that parse, so
/// one that does not was written by something else: it is logged and left alone rather
/// than stopping the listing, resumption or timers of every other saga.
pub(crate) fn stored_workflow_id(raw: &str) -> Option<WorkflowId> {
    match WorkflowId::parse(raw) {
        Ok(id) => Some(id),
        Err(error) => {
            tracing::error!(%error, "the store holds a saga id that is not a workflow id; skipped");
            None
        }
    }
}
