//! One attempt of a saga's party call: sent through the party's limits, counted, and
//! logged at the level its outcome deserves.

use onboard_workflows::{CallOutcome, PartyCall};
use tracing::{info_span, Instrument};

use super::cell::Context;
use crate::parties::PartyError;

/// Sends `call` once under `key`. An unexpected answer is logged at error level: the call
/// may have been applied, so it is retried, never taken for a refusal.
pub(crate) async fn call(
    ctx: &Context,
    call: &PartyCall,
    step: &str,
    key: &str,
) -> Result<CallOutcome, PartyError> {
    let party = call.party().as_str();
    let span = info_span!("step", step, party, operation = call.operation());
    let result = ctx.parties.call(call, key).instrument(span.clone()).await;
    let outcome = match &result {
        Ok(CallOutcome::Succeeded(_)) => "succeeded",
        Ok(CallOutcome::Refused { .. }) => "refused",
        Err(error) => error.outcome(),
    };
    ctx.metrics.inc(
        "onboard_party_calls_total",
        &[
            ("party", party),
            ("operation", call.operation()),
            ("outcome", outcome),
        ],
    );
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
