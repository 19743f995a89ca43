//! One saga in memory while its actor lives: loading it, applying an event, driving it
//! through party calls, and committing each transition to the store with its version.

use std::sync::Arc;

use onboard_workflows::domain::{PromptId, WorkflowId};
use onboard_workflows::{Action, AnySaga, CallOutcome, Signal, Tick, TransitionError};
use rand::Rng;
use tracing::{info_span, Instrument};

use super::clock::Clock;
use super::journal::JournalEntry;
use super::metrics::Metrics;
use super::view::SagaView;
use super::watchers::Watchers;
use super::{indexes, EngineError};
use crate::parties::{Backoff, HttpParties};
use crate::seal::Sealer;
use crate::store::{SagaMeta, SagaStore, StoreError, TimerChange, Transition};

/// What every actor shares: the store, the sealing key, the parties and the readers.
pub(crate) struct Context {
    /// Durable state.
    pub store: Arc<dyn SagaStore>,
    /// Seals personal data at rest.
    pub sealer: Sealer,
    /// The bank and the wallet.
    pub parties: HttpParties,
    /// Delays between attempts of a call.
    pub backoff: Backoff,
    /// `?wait=` readers.
    pub watchers: Watchers,
    /// Counters for operators.
    pub metrics: Metrics,
    /// The time of every transition, deadline and timer poll.
    pub clock: Arc<dyn Clock>,
}

/// Something that happens to a saga from outside its drive loop.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// Continue driving (after creation, a restart, or a signal).
    Resume,
    /// The durable timer fired.
    Deadline,
    /// A person or operator said something.
    Signal(Signal),
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::Resume => "resume",
            Event::Deadline => "deadline",
            Event::Signal(signal) => signal.name(),
        }
    }
}

/// A saga as last read from or written to the store.
#[derive(Debug, Clone)]
pub(crate) struct SagaCell {
    id: WorkflowId,
    version: u64,
    meta: SagaMeta,
    saga: AnySaga,
}

impl SagaCell {
    /// Reads and opens a saga.
    pub async fn load(ctx: &Context, workflow: &WorkflowId) -> Result<SagaCell, EngineError> {
        let id = workflow.as_str();
        let stored = ctx.store.load(id).await?.ok_or(EngineError::NotFound)?;
        let saga = ctx.sealer.open(id, &stored.state)?;
        Ok(SagaCell {
            id: workflow.to_owned(),
            version: stored.version,
            meta: stored.meta,
            saga,
        })
    }

    /// A saga just inserted with version 1.
    pub fn fresh(id: &WorkflowId, meta: SagaMeta, saga: AnySaga) -> SagaCell {
        SagaCell {
            id: id.to_owned(),
            version: 1,
            meta,
            saga,
        }
    }

    /// The caller's view of the saga.
    pub fn view(&self) -> SagaView {
        SagaView::new(&self.id, &self.meta, &self.saga)
    }

    /// Whether the saga has work to do without waiting for anyone.
    pub fn needs_driving(&self) -> bool {
        self.saga.status().needs_driving()
    }

    /// Applies an external event and commits it. A stale copy (another writer advanced the
    /// saga) is reloaded and the event applied again. A deadline that no longer applies
    /// re-arms or clears the timer so that it does not fire again.
    pub async fn apply(
        mut self,
        ctx: &Context,
        event: &Event,
    ) -> (SagaCell, Result<(), EngineError>) {
        for _ in 0..8 {
            let tick = tick(ctx, &self.id);
            let next = match event {
                Event::Resume => return (self, Ok(())),
                Event::Deadline => self.saga.clone().on_deadline(&tick),
                Event::Signal(signal) => self.saga.clone().on_signal(signal.clone(), &tick),
            };
            let result = match next {
                Ok(next) => self.commit(ctx, next, event.name(), None).await,
                Err(TransitionError::Illegal { .. }) if matches!(event, Event::Deadline) => {
                    let unchanged = self.saga.clone();
                    self.commit(ctx, unchanged, "timer_reset", None).await
                }
                Err(refused) => return (self, Err(refused.into())),
            };
            match result {
                Ok(()) => return (self, Ok(())),
                Err(EngineError::Store(StoreError::VersionConflict { .. })) => {
                    match SagaCell::load(ctx, &self.id).await {
                        Ok(fresh) => self = fresh,
                        Err(error) => return (self, Err(error)),
                    }
                }
                Err(error) => return (self, Err(error)),
            }
        }
        (self, Err(EngineError::Unavailable))
    }

    /// Performs the saga's calls until it waits or finishes, committing every outcome.
    pub async fn drive(mut self, ctx: &Context) -> (SagaCell, Result<(), EngineError>) {
        let span = info_span!("saga", saga_id = %self.id, kind = self.saga.kind().as_str());
        async move {
            loop {
                let Action::Call { call, step } = self.saga.next_action() else {
                    return (self, Ok(()));
                };
                let key = format!("{}:{step}", self.id);
                let outcome = call_until_answered(ctx, &call, &step, &key).await;
                let tick = tick(ctx, &self.id);
                let next = match self.saga.clone().on_outcome(outcome, &tick) {
                    Ok(next) => next,
                    Err(refused) => {
                        tracing::error!(step, error = %refused, "saga refused its own call's outcome");
                        return (self, Err(refused.into()));
                    }
                };
                match self.commit(ctx, next, "outcome", Some(&step)).await {
                    Ok(()) => {}
                    Err(EngineError::Store(StoreError::VersionConflict { .. })) => {
                        tracing::warn!(step, "another writer advanced the saga; reloading");
                        match SagaCell::load(ctx, &self.id).await {
                            Ok(fresh) => self = fresh,
                            Err(error) => return (self, Err(error)),
                        }
                    }
                    Err(error) => return (self, Err(error)),
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Writes `next` as the saga's new state, with its timer following `waiting_for` and
    /// its index rows following the entries it declares, in one atomic commit.
    async fn commit(
        &mut self,
        ctx: &Context,
        next: AnySaga,
        event: &str,
        step: Option<&str>,
    ) -> Result<(), EngineError> {
        let now_ms = ctx.clock.now().timestamp_millis();
        let timer = match next.waiting_for() {
            Some(waiting) => TimerChange::Set(waiting.deadline().timestamp_millis()),
            None => TimerChange::Clear,
        };
        let meta = SagaMeta {
            status: next.status(),
            updated_at_ms: now_ms,
            ..self.meta.clone()
        };
        let entry = JournalEntry {
            at_ms: now_ms,
            event,
            step,
            status: next.status(),
        };
        let transition = Transition {
            id: self.id.to_string(),
            expected_version: self.version,
            meta: meta.clone(),
            state: ctx.sealer.seal(self.id.as_str(), &next),
            journal_entry: entry.to_bytes(),
            timer,
            index: indexes::changes(&self.saga, &next),
        };
        ctx.store.commit(&transition).await?;
        tracing::info!(
            event,
            step,
            status = next.status().as_str(),
            "transition committed"
        );
        ctx.metrics.inc(
            "onboard_transitions_total",
            &[
                ("kind", next.kind().as_str()),
                ("status", next.status().as_str()),
            ],
        );
        self.version += 1;
        self.meta = meta;
        self.saga = next;
        ctx.watchers.publish(&self.id, || self.view());
        Ok(())
    }
}

/// Calls a party until it gives a definite answer, retrying transient and unexpected answers with
/// backoff under the same idempotency key.
async fn call_until_answered(
    ctx: &Context,
    call: &onboard_workflows::PartyCall,
    step: &str,
    key: &str,
) -> CallOutcome {
    let mut attempt: u32 = 1;
    loop {
        let span = info_span!("step", step, attempt, operation = call.operation());
        let result = ctx.parties.call(call, key).instrument(span.clone()).await;
        match result {
            Ok(outcome) => {
                let answer = match outcome {
                    CallOutcome::Succeeded(_) => "succeeded",
                    CallOutcome::Refused { .. } => "refused",
                };
                ctx.metrics.inc(
                    "onboard_party_calls_total",
                    &[("operation", call.operation()), ("outcome", answer)],
                );
                span.in_scope(|| {
                    if let CallOutcome::Refused { code } = &outcome {
                        tracing::info!(code = code.as_str(), "party refused");
                    }
                });
                return outcome;
            }
            Err(error) => {
                let outcome = if error.is_unexpected() {
                    "unexpected"
                } else {
                    "transient"
                };
                ctx.metrics.inc(
                    "onboard_party_calls_total",
                    &[("operation", call.operation()), ("outcome", outcome)],
                );
                let delay = ctx.backoff.delay(attempt);
                span.in_scope(|| {
                    let delay_ms = delay.as_millis() as u64;
                    if error.is_unexpected() {
                        tracing::error!(%error, delay_ms, "party answered unexpectedly; the call may have been applied, retrying under the same key");
                    } else {
                        tracing::warn!(%error, delay_ms, "party call failed; retrying");
                    }
                });
                tokio::time::sleep(delay).await;
                attempt = attempt.saturating_add(1);
            }
        }
    }
}

/// The clock reading and fresh prompt id for one transition; the prompt id names its saga.
fn tick(ctx: &Context, saga_id: &WorkflowId) -> Tick {
    let nonce: u64 = rand::rng().random();
    Tick {
        now: ctx.clock.now(),
        fresh_prompt_id: PromptId::new(saga_id.clone(), nonce),
    }
}
