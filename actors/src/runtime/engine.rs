//! The runtime's handle: what the API can ask of sagas.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use onboard_workflows::domain::{PaymentAccountId, PromptId, WorkflowId};
use onboard_workflows::{AnySaga, Signal, WaitingFor};
use tracing::Instrument;

use super::cell::{Context as RuntimeContext, Event, RetryBudget, SagaCell};
use super::clock::Clock;
use super::journal::{HistoryEvent, JournalEntry};
use super::leases::{self, HeldLeases};
use super::metrics::{Gauge, Metrics};
use super::prompts::{self, OpenPrompt};
use super::retention::{self, RetentionPolicy};
use super::spans::SagaRoot;
use super::stored_id::stored_workflow_id;
use super::supervisor::{Kick, LiveCount, Route, Routed, Supervisor, Sweep};
use super::timers;
use super::view::SagaView;
use super::watchers::Watchers;
use super::workflow_actor::Deliver;
use super::{indexes, EngineError};
use crate::parties::{Backoff, PartyGate};
use crate::seal::Sealer;
use crate::store::{
    IndexMember, IndexStore, InsertOutcome, LeaseStore, ListFilter, NewSaga, RetentionStore,
    SagaMeta, SagaStore, StoreError, TimerChange, Writer,
};
use crate::traces;

/// How often a `?wait=` reader looks at the store even without a published change (a
/// change made by another process publishes nothing here).
const WAIT_RECHECK: Duration = Duration::from_millis(500);
/// How often the delivery of an event is re-routed when its actor was just stopping.
const DELIVERY_ATTEMPTS: usize = 4;
/// The longest pause between two sweeps for sagas whose lease lapsed.
const MAX_SWEEP_INTERVAL: Duration = Duration::from_secs(1);
/// How often a drain looks whether the calls in flight have been answered.
const DRAIN_CHECK: Duration = Duration::from_millis(20);
/// How long readiness waits for the store: a probe must answer within a second, even
/// while the store hangs.
const READINESS_PROBE: Duration = Duration::from_millis(750);

/// What the runtime is built from.
pub struct EngineParts {
    /// The sagas' durable state.
    pub sagas: Arc<dyn SagaStore>,
    /// The indexes the sagas' writes keep, read to find sagas by what they wait on.
    pub indexes: Arc<dyn IndexStore>,
    /// Seals personal data at rest.
    pub sealer: Sealer,
    /// The bank and the wallet, behind their per-party limits.
    pub parties: PartyGate,
    /// Delays between attempts of a party call.
    pub backoff: Backoff,
    /// How long one step's call is retried before the saga pauses.
    pub budget: RetryBudget,
    /// How often due timers are looked for.
    pub timer_poll: Duration,
    /// Threads the saga actors run on; 0 runs them on the calling (system) thread, beside
    /// the supervisor and the store's connection.
    pub actor_threads: usize,
    /// The time: [`SystemClock`](super::SystemClock) in production, a
    /// [`TokioClock`](super::TokioClock) in tests that advance time.
    pub clock: Arc<dyn Clock>,
    /// Which replica drives which saga.
    pub leases: Arc<dyn LeaseStore>,
    /// This replica's name (`--replica-id`), the owner of the leases it takes.
    pub replica: String,
    /// How long a lease lasts unless renewed (`leases.ttl_ms`).
    pub lease_ttl: Duration,
}

/// The saga runtime, cheap to clone; every clone reaches the same supervisor.
#[derive(Clone)]
pub struct Engine {
    runtime: Arc<RuntimeContext>,
    indexes: Arc<dyn IndexStore>,
    supervisor: Addr<Supervisor>,
}

impl Engine {
    /// Starts the supervisor, the actor threads and the timer poller. Must be called
    /// inside an actix system; [`Engine::wake`] then picks up the sagas a previous
    /// process left running.
    pub fn start(parts: EngineParts) -> Engine {
        let runtime = Arc::new(RuntimeContext {
            store: parts.sagas,
            sealer: parts.sealer,
            parties: parts.parties,
            backoff: parts.backoff,
            budget: parts.budget,
            watchers: Watchers::default(),
            metrics: Metrics::default(),
            clock: parts.clock,
            draining: AtomicBool::new(false),
            calls_in_flight: AtomicUsize::new(0),
            leases: parts.leases,
            held: HeldLeases::new(&parts.replica),
            lease_ttl: parts.lease_ttl,
        });
        let threads = (0..parts.actor_threads)
            .map(|_| Arbiter::new().handle())
            .collect();
        let supervisor = Supervisor::new(runtime.clone(), threads).start();
        let engine = Engine {
            runtime,
            indexes: parts.indexes,
            supervisor,
        };
        actix::spawn(timers::poll_forever(engine.clone(), parts.timer_poll));
        actix::spawn(leases::renew_forever(engine.clone(), parts.lease_ttl / 3));
        let sweep = (parts.lease_ttl / 4).min(MAX_SWEEP_INTERVAL);
        actix::spawn(leases::sweep_forever(engine.clone(), sweep));
        engine
    }

    /// Starts the retention sweeper on `store`: finished sagas older than the policy's
    /// period are deleted whole, and expired records swept, with their counts in the
    /// `onboard_retention_purged_total` counter.
    pub fn start_retention(&self, store: Arc<dyn RetentionStore>, policy: RetentionPolicy) {
        actix::spawn(retention::sweep_forever(self.clone(), store, policy));
    }

    /// Starts driving the sagas that `ids` names: the store's active set as read at
    /// start-up, i.e. the sagas a previous process left running or compensating.
    pub fn wake(&self, ids: Vec<String>) {
        for id in ids.iter().filter_map(|id| stored_workflow_id(id)) {
            self.supervisor.do_send(Kick { id, cell: None });
        }
    }

    pub(crate) fn context(&self) -> &RuntimeContext {
        &self.runtime
    }

    /// Stores a new saga under `id` for `owner` and starts driving it. Creating an id that
    /// exists changes nothing and answers the existing saga, so a retried request cannot
    /// start a saga twice. The flag says whether this call created it.
    ///
    /// While spans are exported, the saga's root span is recorded around the insert, as a
    /// child of the caller's span when the caller sent a W3C `traceparent`, and its trace
    /// context is stored with the saga for the spans of its party calls.
    pub async fn create(
        &self,
        id: &WorkflowId,
        owner: &str,
        saga: AnySaga,
        traceparent: Option<&str>,
    ) -> Result<(SagaView, bool), EngineError> {
        let root = traces::exporting().then(|| SagaRoot::start(id, saga.kind(), traceparent));
        let now_ms = self.runtime.clock.now().timestamp_millis();
        let meta = SagaMeta {
            kind: saga.kind(),
            status: saga.status(),
            owner: owner.to_owned(),
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
            paused: false,
            retrying: None,
            trace: root.as_ref().and_then(SagaRoot::traceparent),
        };
        let entry = JournalEntry::event(now_ms, "created", saga.status());
        let new = NewSaga {
            id: id.to_string(),
            meta,
            state: self.runtime.sealer.seal(id.as_str(), &saga),
            journal_entry: entry.to_bytes(),
            timer: TimerChange::Keep,
            index: indexes::rows(&saga),
            writer: Writer {
                replica: self.runtime.held.replica(),
                fence: None,
                ttl_ms: u64::try_from(self.runtime.lease_ttl.as_millis()).unwrap_or(u64::MAX),
            },
        };
        let inserted = self.runtime.store.insert(&new);
        let inserted = match &root {
            Some(root) => inserted.instrument(root.span()).await,
            None => inserted.await,
        };
        if let Some(root) = &root {
            root.end(inserted.as_ref().ok());
        }
        match inserted? {
            InsertOutcome::Inserted => {
                let cell = SagaCell::fresh(id, new.meta, saga);
                if cell.leased() {
                    self.runtime.held.set(id, Some(1));
                }
                let view = cell.view();
                tracing::info!(saga_id = %id, kind = view.kind.as_str(), "saga created");
                self.runtime.metrics.inc(
                    "onboard_sagas_created_total",
                    &[("kind", view.kind.as_str())],
                );
                self.supervisor.do_send(Kick {
                    id: id.to_owned(),
                    cell: Some(cell),
                });
                Ok((view, true))
            }
            InsertOutcome::AlreadyExists => {
                let view = self.get(id).await?.ok_or(EngineError::NotFound)?;
                Ok((view, false))
            }
        }
    }

    /// The saga as stored now.
    pub async fn get(&self, id: &WorkflowId) -> Result<Option<SagaView>, EngineError> {
        match SagaCell::load(&self.runtime, id).await {
            Ok(cell) => Ok(Some(cell.view())),
            Err(EngineError::NotFound) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// The saga once it is waiting or final, or as it is when `timeout` has passed.
    pub async fn wait(
        &self,
        id: &WorkflowId,
        timeout: Duration,
    ) -> Result<Option<SagaView>, EngineError> {
        let until = tokio::time::Instant::now() + timeout;
        let mut receiver = self.runtime.watchers.subscribe(id);
        let answer = async {
            let mut view = self.get(id).await?;
            loop {
                let now = tokio::time::Instant::now();
                match view {
                    Some(current) if !current.is_settled() && now < until => {
                        let nap = (until - now).min(WAIT_RECHECK);
                        view = match tokio::time::timeout(nap, receiver.changed()).await {
                            Ok(Ok(())) => match receiver.borrow_and_update().clone() {
                                Some(published) => Some(published),
                                None => self.get(id).await?,
                            },
                            Ok(Err(_closed)) => {
                                tokio::time::sleep(nap).await;
                                self.get(id).await?
                            }
                            Err(_elapsed) => self.get(id).await?,
                        };
                    }
                    other => return Ok(other),
                }
            }
        }
        .await;
        self.runtime.watchers.unsubscribe(id, receiver);
        answer
    }

    /// Delivers a person's or operator's signal and answers the saga after it.
    pub async fn signal(&self, id: &WorkflowId, signal: Signal) -> Result<SagaView, EngineError> {
        self.deliver(id, Event::Signal(signal)).await
    }

    /// Pauses a saga that has not ended: it makes no further party call until resumed (a
    /// call already sent finishes and is recorded).
    pub async fn pause(&self, id: &WorkflowId) -> Result<SagaView, EngineError> {
        self.deliver(id, Event::Pause).await
    }

    /// Resumes a saga that has not ended, with a fresh attempt budget for its next call.
    pub async fn resume(&self, id: &WorkflowId) -> Result<SagaView, EngineError> {
        self.deliver(id, Event::Resume).await
    }

    /// Every transition and party-call attempt of a saga, oldest first; `None` when no
    /// saga has that id (every saga's insert writes its first journal entry, so an empty
    /// journal means none, and one read answers both).
    pub async fn history(&self, id: &WorkflowId) -> Result<Option<Vec<HistoryEvent>>, EngineError> {
        let journal = self.runtime.store.journal(id.as_str()).await?;
        if journal.is_empty() {
            return Ok(None);
        }
        let events = journal
            .iter()
            .filter_map(|bytes| JournalEntry::from_bytes(bytes));
        Ok(Some(events.map(HistoryEvent::from).collect()))
    }

    pub(crate) async fn deliver(
        &self,
        id: &WorkflowId,
        event: Event,
    ) -> Result<SagaView, EngineError> {
        for _ in 0..DELIVERY_ATTEMPTS {
            let routed = self
                .supervisor
                .send(Route { id: id.to_owned() })
                .await
                .map_err(|_| EngineError::Unavailable)?;
            let actor = match routed {
                Routed::Now(actor) => actor,
                Routed::Later(rx) => rx.await.map_err(|_| EngineError::Unavailable)?,
            };
            match actor.send(Deliver(event.clone())).await {
                Ok(result) => return result,
                Err(MailboxError::Closed) => continue,
                Err(MailboxError::Timeout) => return Err(EngineError::Unavailable),
            }
        }
        Err(EngineError::Unavailable)
    }

    /// The open security prompts of a payment account. A saga that moved on between
    /// reading the index and reading the saga no longer waits on its prompt, which is
    /// then left out.
    pub async fn open_prompts(
        &self,
        payment_account_id: &PaymentAccountId,
    ) -> Result<Vec<OpenPrompt>, EngineError> {
        let index = indexes::security_prompts(payment_account_id);
        let mut open = Vec::new();
        for IndexMember { member, saga_id } in self.indexes.members(&index).await? {
            let (Ok(prompt), Some(workflow_id)) =
                (PromptId::parse(&member), stored_workflow_id(&saga_id))
            else {
                continue;
            };
            let cell = SagaCell::load(&self.runtime, &workflow_id).await?;
            match cell.view().waiting_for {
                Some(WaitingFor::SecurityPrompt {
                    prompt_id: open_id,
                    deadline,
                }) if open_id == prompt => open.push(OpenPrompt {
                    id: open_id,
                    workflow_id,
                    payment_account_id: payment_account_id.to_owned(),
                    reason: prompts::REGISTRATION_REASON,
                    expires_at: deadline,
                }),
                _ => {}
            }
        }
        open.sort_by_key(|prompt| prompt.expires_at);
        Ok(open)
    }

    /// Decides a security prompt. A prompt that is unknown, decided or expired is
    /// reported as closed.
    pub async fn decide_prompt(
        &self,
        prompt_id: &PromptId,
        approved: bool,
    ) -> Result<SagaView, EngineError> {
        let signal = Signal::SecurityDecision {
            prompt_id: prompt_id.to_owned(),
            approved,
        };
        self.signal(prompt_id.workflow_id(), signal).await
    }

    /// Sagas for operators, newest first.
    pub async fn list(&self, filter: &ListFilter) -> Result<Vec<SagaView>, EngineError> {
        let stored = self.runtime.store.list(filter).await?;
        stored
            .into_iter()
            .filter_map(|s| Some((stored_workflow_id(&s.id)?, s)))
            .map(|(id, s)| {
                let saga = self.runtime.sealer.open(&s.id, &s.state)?;
                Ok(SagaView::new(&id, &s.meta, &saga))
            })
            .collect()
    }

    /// Stops starting party calls and waits, at most `grace`, for the calls in flight to
    /// be answered and recorded, then releases this replica's leases so that the others
    /// take its sagas over at once. Answers how many calls were still in flight when it
    /// gave up; their sagas stay active in the store and are driven again elsewhere (or by
    /// the next process), which replays the calls under the same keys.
    pub async fn drain(&self, grace: Duration) -> usize {
        self.runtime.draining.store(true, Ordering::SeqCst);
        let until = tokio::time::Instant::now() + grace;
        let left = loop {
            let left = self.runtime.calls_in_flight.load(Ordering::SeqCst);
            if left == 0 || tokio::time::Instant::now() >= until {
                break left;
            }
            tokio::time::sleep(DRAIN_CHECK).await;
        };
        let replica = self.runtime.held.replica();
        for (id, token) in self.runtime.held.take_all() {
            if let Err(error) = self.runtime.leases.release(&id, &replica, token).await {
                tracing::warn!(saga_id = id, %error, "lease not released; it will expire");
            }
        }
        left
    }

    /// Starts driving the sagas of `ids` that hold no actor here (a sweep's orphans).
    pub(crate) fn sweep(&self, ids: Vec<WorkflowId>) {
        self.supervisor.do_send(Sweep { ids });
    }

    /// Whether the process is draining for shutdown, so that readiness fails at once.
    pub fn draining(&self) -> bool {
        self.runtime.draining.load(Ordering::SeqCst)
    }

    /// Whether the store answers, decided within [`READINESS_PROBE`].
    pub async fn ready(&self) -> bool {
        let ping = self.runtime.store.ping();
        matches!(
            tokio::time::timeout(READINESS_PROBE, ping).await,
            Ok(Ok(()))
        )
    }

    /// The runtime's counters and histograms, with the API's beside them.
    pub fn metrics(&self) -> &Metrics {
        &self.runtime.metrics
    }

    /// The runtime's counters, histograms and gauges in the Prometheus text format.
    pub async fn metrics_text(&self) -> String {
        let live = self.live_actors().await as f64;
        let store = &self.runtime.store;
        let (paused, waiting) = tokio::join!(store.paused(), store.armed_timers());
        let paused = counted(paused, "paused sagas");
        // A saga has an armed timer exactly while it waits on a person (its deadline).
        let waiting = counted(waiting, "waiting sagas");
        let [(_, bank), (_, wallet)] = self.runtime.parties.waiting();
        let calls_waiting = "Party calls waiting for a slot under the party's limits.";
        self.runtime.metrics.render(&[
            Gauge {
                name: "onboard_live_actors",
                help: "Sagas holding an actor; parked sagas hold none.",
                labels: &[],
                value: live,
            },
            Gauge {
                name: "onboard_paused_sagas",
                help: "Sagas waiting for an operator's resume or cancel.",
                labels: &[],
                value: paused,
            },
            Gauge {
                name: "onboard_waiting_sagas",
                help: "Sagas waiting for a person or a deadline (status waiting).",
                labels: &[],
                value: waiting,
            },
            Gauge {
                name: "onboard_party_calls_waiting",
                help: calls_waiting,
                labels: &[("party", "bank")],
                value: bank as f64,
            },
            Gauge {
                name: "onboard_party_calls_waiting",
                help: calls_waiting,
                labels: &[("party", "wallet")],
                value: wallet as f64,
            },
        ])
    }

    /// How many sagas hold an actor (the rest are parked in the store only).
    pub async fn live_actors(&self) -> usize {
        self.supervisor.send(LiveCount).await.unwrap_or(0)
    }
}

/// A count read from the store for a gauge; NaN (and a warning) when the store failed.
fn counted(count: Result<u64, StoreError>, what: &str) -> f64 {
    match count {
        Ok(count) => count as f64,
        Err(error) => {
            tracing::warn!(%error, "{what} not counted");
            f64::NAN
        }
    }
}
