//! The spans of a saga: its root (`onboard.saga`), recorded around the saga's creation,
//! and one span per party-call attempt (`onboard.step`) or compensation attempt
//! (`onboard.compensation`), a child of the root through the trace context stored with
//! the saga. Their fields are the attributes an exporter sends: ids, kinds, step names,
//! numbers and outcomes, never personal data.

use onboard_workflows::domain::WorkflowId;
use onboard_workflows::{PartyCall, SagaKind};
use opentelemetry::trace::Status;
use tracing::field::Empty;
use tracing::{info_span, Span};
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::store::InsertOutcome;
use crate::traces;

/// The root span of a saga being created.
pub(crate) struct SagaRoot {
    span: Span,
}

impl SagaRoot {
    /// Starts the root span of saga `id`, as a child of the caller's span when the caller
    /// sent a valid `traceparent`.
    pub fn start(id: &WorkflowId, kind: SagaKind, caller: Option<&str>) -> SagaRoot {
        let span = info_span!(
            "onboard.saga",
            onboard.saga.id = %id,
            onboard.saga.kind = kind.as_str(),
            onboard.outcome = Empty,
        );
        if let Some(caller) = caller {
            traces::continue_from(&span, caller);
        }
        SagaRoot { span }
    }

    /// The root's `traceparent`, to be stored with the saga.
    pub fn traceparent(&self) -> Option<String> {
        traces::traceparent(&self.span)
    }

    /// The span, to instrument the insert with.
    pub fn span(&self) -> Span {
        self.span.clone()
    }

    /// Records how the insert went: `created`, `existed` (another request created the
    /// saga first; its own root stays the trace's) or `failed`. The span ends when the
    /// root is dropped.
    pub fn end(&self, inserted: Option<&InsertOutcome>) {
        let outcome = match inserted {
            Some(InsertOutcome::Inserted) => "created",
            Some(InsertOutcome::AlreadyExists) => "existed",
            None => "failed",
        };
        self.span.record("onboard.outcome", outcome);
        if inserted.is_none() && traces::exporting() {
            self.span.set_status(Status::error("saga not stored"));
        }
    }
}

/// The party call a saga makes next, and what its attempt's span says about it.
#[derive(Debug)]
pub(crate) struct NextCall {
    /// The call.
    pub call: PartyCall,
    /// Its step, which with the saga id forms the idempotency key.
    pub step: String,
    /// The saga's kind.
    pub kind: SagaKind,
    /// The attempt's number under the current budget, as the history numbers it.
    pub attempt: u32,
    /// Whether the call undoes an earlier step.
    pub compensating: bool,
    /// The saga's stored trace context.
    pub trace: Option<String>,
}

/// The span of one attempt of `next`, a child of the saga's root when the saga has a
/// trace context and spans are exported. Its `onboard.outcome` is recorded by
/// [`record_outcome`].
pub(crate) fn attempt_span(saga_id: &WorkflowId, next: &NextCall) -> Span {
    macro_rules! attempt_span {
        ($name:literal) => {
            info_span!(
                $name,
                onboard.saga.id = %saga_id,
                onboard.saga.kind = next.kind.as_str(),
                onboard.step = next.step.as_str(),
                onboard.attempt = next.attempt,
                onboard.party = next.call.party().as_str(),
                onboard.operation = next.call.operation(),
                onboard.outcome = Empty,
            )
        };
    }
    let span = if next.compensating {
        attempt_span!("onboard.compensation")
    } else {
        attempt_span!("onboard.step")
    };
    if let Some(trace) = next.trace.as_deref().filter(|_| traces::exporting()) {
        traces::continue_from(&span, trace);
    }
    span
}

/// Records an attempt's outcome (`succeeded`, `refused`, `transient`, `unexpected`) on its
/// span; an attempt without a definite answer is an error for the exporter.
pub(crate) fn record_outcome(span: &Span, outcome: &'static str, definite: bool) {
    span.record("onboard.outcome", outcome);
    if !definite && traces::exporting() {
        span.set_status(Status::error(outcome));
    }
}
