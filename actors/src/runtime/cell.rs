//! One saga in memory while its actor lives: loading it, applying an event, recording a
//! party-call attempt, and committing each transition to the store with its version.

use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::Arc;
use std::time::Duration;

use onboard_workflows::domain::{PromptId, WorkflowId};
use onboard_workflows::{Action, AnySaga, CallOutcome, SagaStatus, Signal, Tick, TransitionError};
use rand::Rng;

use super::clock::Clock;
use super::journal::JournalEntry;
use super::leases::HeldLeases;
use super::metrics::Metrics;
use super::spans::NextCall;
use super::view::SagaView;
use super::watchers::Watchers;
use super::{indexes, EngineError};
use crate::parties::{Backoff, PartyError, PartyGate};
use crate::seal::Sealer;
use crate::store::{
    CallError, LeaseStore, Retrying, SagaMeta, SagaStore, StoreError, TimerChange, Transition,
    Writer,
};

/// How many times an event or an attempt is re-applied to a fresher copy of its saga when
/// another writer advanced it in the meantime.
const CONFLICT_RETRIES: usize = 8;

/// What every actor shares: the store, the sealing key, the parties and the readers.
pub(crate) struct Context {
    /// Durable state.
    pub store: Arc<dyn SagaStore>,
    /// Seals personal data at rest.
    pub sealer: Sealer,
    /// The bank and the wallet, behind their per-party limits.
    pub parties: PartyGate,
    /// Delays between attempts of a call.
    pub backoff: Backoff,
    /// How long one step's call is retried before the saga pauses.
    pub budget: RetryBudget,
    /// `?wait=` readers.
    pub watchers: Watchers,
    /// Counters for operators.
    pub metrics: Metrics,
    /// The time of every transition, deadline and timer poll.
    pub clock: Arc<dyn Clock>,
    /// Set on shutdown: no new party call starts, so that the calls in flight can finish.
    pub draining: AtomicBool,
    /// Party calls sent whose answer is not recorded yet.
    pub calls_in_flight: AtomicUsize,
    /// Which replica drives which saga.
    pub leases: Arc<dyn LeaseStore>,
    /// The leases this replica holds, for their renewal and release.
    pub held: HeldLeases,
    /// How long a lease lasts unless renewed.
    pub lease_ttl: Duration,
}

impl Context {
    /// This replica as the writer of a commit, under `fence` for a drive commit.
    fn writer(&self, fence: Option<u64>) -> Writer {
        Writer {
            replica: self.held.replica(),
            fence,
            ttl_ms: u64::try_from(self.lease_ttl.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// How long one step's call is retried before the saga pauses and waits for an operator
/// (API.md's `connectors.max_attempts` and `connectors.max_elapsed_secs`).
#[derive(Debug, Clone, Copy)]
pub struct RetryBudget {
    /// Attempts, the first included.
    pub max_attempts: u32,
    /// Time since the first failed attempt.
    pub max_elapsed: Duration,
}

/// Something that happens to a saga from outside its drive.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// Continue driving (after creation or a restart); commits nothing.
    Wake,
    /// The durable timer fired.
    Deadline,
    /// A person or operator said something.
    Signal(Signal),
    /// An operator pauses the saga: no further party call until it is resumed.
    Pause,
    /// An operator resumes the saga, with a fresh attempt budget.
    Resume,
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Event::Wake => "wake",
            Event::Deadline => "deadline",
            Event::Signal(signal) => signal.name(),
            Event::Pause => "paused",
            Event::Resume => "resumed",
        }
    }

    /// Whether an operator is taking the saga in hand: it is no longer paused and its
    /// next call gets a fresh attempt budget.
    fn takes_over(&self) -> bool {
        matches!(
            self,
            Event::Resume | Event::Signal(Signal::Cancel | Signal::Retry)
        )
    }
}

/// One attempt of a saga's next party call, as it came back.
#[derive(Debug)]
pub(crate) struct Attempt {
    /// The step whose call it was.
    pub step: String,
    /// The party's definite answer, or why there was none.
    pub result: Result<CallOutcome, PartyError>,
}

/// What recording an attempt leaves the saga to do.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AfterAttempt {
    /// Go on as the saga's state says (drive, wait, stay paused, or stop).
    Recorded,
    /// Try the same call again after this delay.
    RetryIn(Duration),
    /// The saga no longer makes that call (an event moved it on); nothing was written.
    Stale,
}

/// What one commit writes: the saga's next state, the runtime's control of it, and the
/// journal line that says why.
struct Change {
    saga: AnySaga,
    paused: bool,
    retrying: Option<Retrying>,
    entry: JournalEntry,
}

/// A saga as last read from or written to the store.
#[derive(Debug, Clone)]
pub(crate) struct SagaCell {
    id: WorkflowId,
    version: u64,
    meta: SagaMeta,
    saga: AnySaga,
    /// The fencing token of this replica's lease of the saga, while it holds one.
    lease: Option<u64>,
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
            lease: None,
        })
    }

    /// A fresher copy of the saga, keeping the lease this copy held.
    async fn reload(&self, ctx: &Context) -> Result<SagaCell, EngineError> {
        let mut fresh = SagaCell::load(ctx, &self.id).await?;
        fresh.lease = self.lease;
        Ok(fresh)
    }

    /// A saga just inserted with version 1; its creator holds its lease (token 1) when it
    /// needs driving.
    pub fn fresh(id: &WorkflowId, meta: SagaMeta, saga: AnySaga) -> SagaCell {
        let lease = meta.needs_driving().then_some(1);
        SagaCell {
            id: id.to_owned(),
            version: 1,
            meta,
            saga,
            lease,
        }
    }

    /// Whether this replica holds the saga's lease, and so may make its party calls.
    pub fn leased(&self) -> bool {
        self.lease.is_some()
    }

    /// Takes the saga's lease when it needs driving and this copy holds none; answers
    /// whether this replica may drive it now.
    pub async fn ensure_lease(&mut self, ctx: &Context) -> Result<bool, EngineError> {
        if self.lease.is_none() && self.needs_driving() {
            let writer = ctx.writer(None);
            let token = ctx
                .leases
                .acquire(self.id.as_str(), &writer.replica, writer.ttl_ms)
                .await?;
            if token.is_some() {
                ctx.metrics.inc("onboard_lease_takeovers_total", &[]);
            }
            self.hold(ctx, token);
        }
        Ok(self.lease.is_some())
    }

    /// Records the lease this replica holds (or no longer holds) after a store answer.
    fn hold(&mut self, ctx: &Context, token: Option<u64>) {
        self.lease = token;
        ctx.held.set(&self.id, token);
    }

    /// The caller's view of the saga.
    pub fn view(&self) -> SagaView {
        SagaView::new(&self.id, &self.meta, &self.saga)
    }

    /// Whether the saga has a party call to make now: its status needs driving and it is
    /// not paused.
    pub fn needs_driving(&self) -> bool {
        self.meta.needs_driving()
    }

    /// The party call the saga makes next, while it needs driving and this replica holds
    /// its lease.
    pub fn next_call(&self) -> Option<NextCall> {
        match self.saga.next_action() {
            Action::Call { call, step } if self.needs_driving() && self.leased() => {
                let earlier = self.meta.retrying.as_ref().filter(|r| r.step == step);
                Some(NextCall {
                    call,
                    attempt: earlier.map_or(0, |r| r.attempts).saturating_add(1),
                    step,
                    kind: self.meta.kind,
                    compensating: self.status() == SagaStatus::Compensating,
                    trace: self.meta.trace.clone(),
                })
            }
            _ => None,
        }
    }

    /// Applies an external event and commits it. A stale copy (another writer advanced the
    /// saga) is reloaded and the event applied again. A deadline that no longer applies
    /// re-arms or clears the timer so that it does not fire again.
    pub async fn apply(self, ctx: &Context, event: &Event) -> (SagaCell, Result<(), EngineError>) {
        self.write_decided(ctx, false, |cell| Ok((cell.change_for(ctx, event)?, ())))
            .await
    }

    /// Decides with `decide` what to write (if anything) and what to answer, and commits
    /// the change; a stale copy (another writer advanced the saga) is reloaded and the
    /// change decided again.
    async fn write_decided<T>(
        mut self,
        ctx: &Context,
        fenced: bool,
        decide: impl Fn(&SagaCell) -> Result<(Option<Change>, T), EngineError>,
    ) -> (SagaCell, Result<T, EngineError>) {
        for _ in 0..CONFLICT_RETRIES {
            let (change, answer) = match decide(&self) {
                Ok((Some(change), answer)) => (change, answer),
                Ok((None, answer)) => return (self, Ok(answer)),
                Err(refused) => return (self, Err(refused)),
            };
            match self.commit(ctx, change, fenced).await {
                Ok(()) => return (self, Ok(answer)),
                Err(EngineError::Store(StoreError::VersionConflict { .. })) => {
                    tracing::warn!(saga_id = %self.id, "another writer advanced the saga; reloading");
                    match self.reload(ctx).await {
                        Ok(fresh) => self = fresh,
                        Err(error) => return (self, Err(error)),
                    }
                }
                Err(error) => return (self, Err(error)),
            }
        }
        (self, Err(EngineError::Unavailable))
    }

    /// What `event` changes, `None` when it changes nothing.
    fn change_for(&self, ctx: &Context, event: &Event) -> Result<Option<Change>, EngineError> {
        let tick = tick(ctx, &self.id);
        let entry = JournalEntry::event(tick.now.timestamp_millis(), event.name(), self.status());
        let saga = match event {
            Event::Wake => return Ok(None),
            Event::Deadline => match self.saga.clone().on_deadline(&tick) {
                Ok(next) => next,
                Err(TransitionError::Illegal { .. }) => {
                    let entry = JournalEntry {
                        event: "timer_reset".into(),
                        ..entry
                    };
                    return Ok(Some(self.control(self.saga.clone(), entry)));
                }
                Err(refused) => return Err(refused.into()),
            },
            Event::Signal(signal) => self.saga.clone().on_signal(signal.clone(), &tick)?,
            Event::Pause | Event::Resume if self.status().is_final() => {
                return Err(TransitionError::Illegal {
                    event: event.name(),
                    status: self.status(),
                }
                .into())
            }
            Event::Pause => {
                let mut change = self.control(self.saga.clone(), entry);
                change.paused = true;
                return Ok(Some(change));
            }
            Event::Resume => self.saga.clone(),
        };
        let mut change = self.control(saga, entry);
        change.entry.status = change.saga.status();
        if event.takes_over() {
            change.paused = false;
            change.retrying = None;
        }
        Ok(Some(change))
    }

    /// A change to `saga` that keeps the runtime's control of it as it is.
    fn control(&self, saga: AnySaga, entry: JournalEntry) -> Change {
        Change {
            saga,
            paused: self.meta.paused,
            retrying: self.meta.retrying.clone(),
            entry,
        }
    }

    /// Records one attempt of the saga's next call: a definite answer moves the saga on; a
    /// failure is retried after a backoff until the budget runs out, and then pauses the
    /// saga for an operator (it never compensates because a party is unreachable).
    pub async fn record_attempt(
        self,
        ctx: &Context,
        attempt: &Attempt,
    ) -> (SagaCell, Result<AfterAttempt, EngineError>) {
        self.write_decided(ctx, true, |cell| {
            Ok(match cell.change_after(ctx, attempt)? {
                Some((change, after)) => (Some(change), after),
                None => (None, AfterAttempt::Stale),
            })
        })
        .await
    }

    /// What `attempt` changes and what follows it; `None` when the saga no longer makes
    /// that call.
    fn change_after(
        &self,
        ctx: &Context,
        attempt: &Attempt,
    ) -> Result<Option<(Change, AfterAttempt)>, EngineError> {
        let step = attempt.step.as_str();
        match self.saga.next_action() {
            Action::Call { step: next, .. } if next == step => {}
            _ => return Ok(None),
        }
        let tick = tick(ctx, &self.id);
        let now_ms = tick.now.timestamp_millis();
        let earlier = self.meta.retrying.as_ref().filter(|r| r.step == step);
        let number = earlier.map_or(0, |r| r.attempts).saturating_add(1);
        let mut entry = JournalEntry::event(now_ms, "outcome", self.status());
        entry.step = Some(step.to_owned());
        entry.attempt = Some(number);
        let error = match &attempt.result {
            Ok(outcome) => {
                let next = self.saga.clone().on_outcome(outcome.clone(), &tick)?;
                entry.status = next.status();
                (entry.outcome, entry.detail) = match outcome {
                    CallOutcome::Succeeded(_) => (Some("succeeded".into()), None),
                    CallOutcome::Refused { code } => {
                        (Some("refused".into()), Some(code.as_str().to_owned()))
                    }
                };
                let mut change = self.control(next, entry);
                change.retrying = None;
                return Ok(Some((change, AfterAttempt::Recorded)));
            }
            Err(error) => error,
        };
        let since_ms = earlier.map_or(now_ms, |r| r.since_ms);
        let elapsed = Duration::from_millis(now_ms.saturating_sub(since_ms).max(0) as u64);
        let exhausted = number >= ctx.budget.max_attempts || elapsed >= ctx.budget.max_elapsed;
        let delay = ctx.backoff.delay(number);
        entry.event = if exhausted {
            "retries_exhausted"
        } else {
            "attempt_failed"
        }
        .into();
        entry.outcome = Some(error.outcome().into());
        entry.detail = Some(error.to_string());
        let mut change = self.control(self.saga.clone(), entry);
        change.paused |= exhausted;
        change.retrying = Some(Retrying {
            step: step.to_owned(),
            attempts: number,
            last_error: CallError {
                code: error.code().to_owned(),
                detail: error.to_string(),
            },
            next_attempt_at_ms: (!change.paused)
                .then(|| now_ms.saturating_add(delay.as_millis() as i64)),
            since_ms,
        });
        let after = if change.paused {
            AfterAttempt::Recorded
        } else {
            AfterAttempt::RetryIn(delay)
        };
        Ok(Some((change, after)))
    }

    fn status(&self) -> SagaStatus {
        self.saga.status()
    }

    /// Writes the change as the saga's new state, with its timer following `waiting_for`
    /// and its index rows following the entries it declares, in one atomic commit. A
    /// `fenced` commit (the outcome of this replica's party call) is refused once the
    /// replica's lease is lost; any commit gives this replica the lease if the saga has
    /// work and no other replica holds it, and releases it when the saga has none.
    async fn commit(
        &mut self,
        ctx: &Context,
        change: Change,
        fenced: bool,
    ) -> Result<(), EngineError> {
        let Change {
            saga: next,
            paused,
            retrying,
            entry,
        } = change;
        let timer = match next.waiting_for() {
            Some(waiting) => TimerChange::Set(waiting.deadline().timestamp_millis()),
            None => TimerChange::Clear,
        };
        let meta = SagaMeta {
            status: next.status(),
            updated_at_ms: entry.at_ms,
            paused,
            retrying,
            ..self.meta.clone()
        };
        let transition = Transition {
            id: self.id.to_string(),
            expected_version: self.version,
            meta: meta.clone(),
            state: ctx.sealer.seal(self.id.as_str(), &next),
            journal_entry: entry.to_bytes(),
            timer,
            index: indexes::changes(&self.saga, &next),
            writer: ctx.writer(if fenced { self.lease } else { None }),
        };
        match ctx.store.commit(&transition).await {
            Ok(token) => self.hold(ctx, token),
            Err(StoreError::LeaseLost(id)) => {
                self.hold(ctx, None);
                return Err(StoreError::LeaseLost(id).into());
            }
            Err(error) => return Err(error.into()),
        }
        tracing::info!(
            event = &*entry.event,
            step = entry.step,
            status = next.status().as_str(),
            paused,
            "transition committed"
        );
        ctx.metrics.inc(
            "onboard_transitions_total",
            &[
                ("kind", next.kind().as_str()),
                ("status", next.status().as_str()),
            ],
        );
        if next.status().is_final() && !self.status().is_final() {
            let lived_ms = entry.at_ms.saturating_sub(self.meta.created_at_ms).max(0);
            ctx.metrics.observe_saga(
                next.kind().as_str(),
                next.status().as_str(),
                Duration::from_millis(lived_ms as u64),
            );
        }
        self.version += 1;
        self.meta = meta;
        self.saga = next;
        ctx.watchers.publish(&self.id, || self.view());
        Ok(())
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
