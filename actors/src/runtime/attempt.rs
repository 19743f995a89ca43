//! One attempt of a saga's party call: sent through the party's limits inside its span,
//! counted, timed, and logged at the level its outcome deserves.

use onboard_workflows::domain::WorkflowId;
use onboard_workflows::CallOutcome;
use tracing::Instrument;

use super::cell::Context;
use super::spans::{self, NextCall};
use crate::parties::PartyError;

/// Sends `next`'s call once under `key`. An unexpected answer is logged at error level:
/// the call may have been applied, so it is retried, never taken for a refusal.
pub(crate) async fn call(
    ctx: &Context,
    saga_id: &WorkflowId,
    next: &NextCall,
    key: &str,
) -> Result<CallOutcome, PartyError> {
    let call = &next.call;
    let party = call.party().as_str();
    let span = spans::attempt_span(saga_id, next);
    let (result, took) = ctx.parties.call(call, key).instrument(span.clone()).await;
    let outcome = match &result {
        Ok(CallOutcome::Succeeded(_)) => "succeeded",
        Ok(CallOutcome::Refused { .. }) => "refused",
        Err(error) => error.outcome(),
    };
    spans::record_outcome(&span, outcome, result.is_ok());
    ctx.metrics.inc(
        "onboard_party_calls_total",
        &[
            ("party", party),
            ("operation", call.operation()),
            ("outcome", outcome),
        ],
    );
    ctx.metrics
        .observe_party_call(party, call.operation(), outcome, took);
    span.in_scope(|| match &result {
        Ok(CallOutcome::Refused { code }) => tracing::info!(code = code.as_str(), "party refused"),
        Ok(CallOutcome::Succeeded(_)) => {}
        Err(error) if error.is_unexpected() => tracing::error!(
            %error,
            "party answered unexpectedly; the call may have been applied, retrying under the same key"
        ),
        Err(error) => tracing::warn!(%error, "party call failed; retrying"),
    });
    result
}
