//! The trace context of sagas, for OpenTelemetry. A saga outlives processes, so no span
//! stays open for it: its root span (`onboard.saga`) is recorded when the saga is created,
//! and its W3C `traceparent` is stored with the saga's clear meta. Every later attempt of a
//! party call (`onboard.step`, `onboard.compensation`) takes it as a remote parent, in
//! whichever process or replica makes the call, so the trace continues across restarts.
//!
//! Nothing here runs unless the binary installed an exporter ([`enable`]): without one no
//! trace context is made, parsed, stored or sent.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TraceContextExt;
use opentelemetry::Context;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The W3C header carrying a span's trace id, span id and sampling flag.
pub const TRACEPARENT: &str = "traceparent";

/// Set once by the binary when it exports spans.
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// Says that spans are exported from now on: sagas get a trace context, and party calls
/// carry it. Called by the binary right after it installs the exporter's layer.
pub fn enable() {
    EXPORTING.store(true, Ordering::Relaxed);
}

/// Whether spans are exported; without an exporter the runtime skips all trace work.
pub fn exporting() -> bool {
    EXPORTING.load(Ordering::Relaxed)
}

/// The `traceparent` of `span`, starting it in OpenTelemetry if it was not yet; `None`
/// when no exporter's layer records it (or sampling dropped it before it got ids).
pub fn traceparent(span: &Span) -> Option<String> {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    carrier.remove(TRACEPARENT)
}

/// The remote span a `traceparent` names, as a parent context; `None` when the value is
/// not a valid W3C `traceparent` (a caller's malformed header starts a fresh trace).
pub fn remote_parent(traceparent: &str) -> Option<Context> {
    let carrier = HashMap::from([(TRACEPARENT.to_owned(), traceparent.to_owned())]);
    let parent = TraceContextPropagator::new().extract(&carrier);
    parent.span().span_context().is_valid().then_some(parent)
}

/// Makes `span` a child of the remote span `traceparent` names, if it is valid. Must be
/// called before the span is entered.
pub fn continue_from(span: &Span, traceparent: &str) {
    if let Some(parent) = remote_parent(traceparent) {
        if let Err(error) = span.set_parent(parent) {
            tracing::debug!(%error, "span not attached to the saga's trace");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_traceparent_is_a_remote_parent_and_junk_is_none() {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let parent = remote_parent(valid).expect("valid traceparent");
        let span = parent.span();
        let context = span.span_context();
        assert!(context.is_remote());
        assert_eq!(
            context.trace_id().to_string(),
            "4bf92f3577b34da6a3ce929d0e0e4736"
        );
        assert_eq!(context.span_id().to_string(), "00f067aa0ba902b7");
        for junk in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "not a header",
        ] {
            assert!(remote_parent(junk).is_none(), "{junk:?}");
        }
    }

    #[test]
    fn a_span_without_an_exporter_has_no_traceparent() {
        let span = tracing::info_span!("onboard.saga");
        assert_eq!(traceparent(&span), None);
    }
}
