//! The actor of one live saga. It handles one message at a time, and each transition is
//! committed by an atomic handler, so a saga never has two commits in flight in this
//! process; the store's version check covers the rest (another process, a passivation
//! race).
//!
//! A party call runs beside the mailbox, not inside a handler: while it is in flight or
//! waiting out its backoff, an operator's cancel or pause is served at once. The call's
//! answer comes back as a message and is recorded against the saga as it then stands.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use onboard_workflows::domain::WorkflowId;

use super::attempt;
use super::cell::{AfterAttempt, Attempt, Context as RuntimeContext, Event, SagaCell};
use super::supervisor::{Passivate, Supervisor};
use super::view::SagaView;
use super::EngineError;
use crate::store::StoreError;

/// How long a saga whose store access failed waits before trying again.
const STORE_RETRY: Duration = Duration::from_secs(1);

/// Delivers an event to the saga and answers with its view after the event's transition.
#[derive(Message)]
#[rtype(result = "Result<SagaView, EngineError>")]
pub(crate) struct Deliver(pub Event);

/// Starts the saga's next party call, loading the saga first if the actor has none.
#[derive(Message)]
#[rtype(result = "()")]
struct Drive;

/// A party call came back.
#[derive(Message)]
#[rtype(result = "()")]
struct Answered(Attempt);

/// The supervisor passivates this actor: stop and answer `true`, unless work arrived in
/// the meantime (then answer `false` and stay).
#[derive(Message)]
#[rtype(result = "bool")]
pub(crate) struct StopIfIdle;

/// The live actor of one saga.
pub(crate) struct WorkflowActor {
    id: WorkflowId,
    runtime: Arc<RuntimeContext>,
    supervisor: Addr<Supervisor>,
    cell: Option<SagaCell>,
    /// A [`Drive`] is queued or scheduled.
    drive_pending: bool,
    /// A party call is in flight.
    calling: bool,
    /// The backoff before the next attempt, while one runs.
    backoff: Option<SpawnHandle>,
}

impl WorkflowActor {
    /// An actor for saga `id`, optionally with its state already in hand.
    pub fn new(
        id: WorkflowId,
        runtime: Arc<RuntimeContext>,
        supervisor: Addr<Supervisor>,
        cell: Option<SagaCell>,
    ) -> WorkflowActor {
        WorkflowActor {
            id,
            runtime,
            supervisor,
            cell,
            drive_pending: false,
            calling: false,
            backoff: None,
        }
    }

    /// Whether anything is under way: a queued drive, a call in flight, a backoff.
    fn busy(&self) -> bool {
        self.drive_pending || self.calling || self.backoff.is_some()
    }

    /// After a message: drive on if there is work, otherwise offer to passivate. While the
    /// process drains, a saga with work stays as it is for the next process.
    fn settle(&mut self, ctx: &mut Context<Self>) {
        if self.busy() {
            return;
        }
        let needs_driving = self.cell.as_ref().is_some_and(SagaCell::needs_driving);
        if needs_driving && self.runtime.draining.load(Ordering::SeqCst) {
            return;
        }
        if needs_driving {
            self.drive_pending = true;
            ctx.notify(Drive);
        } else {
            self.supervisor.do_send(Passivate {
                id: self.id.clone(),
                addr: ctx.address(),
            });
        }
    }

    /// Ends a running backoff, so that the next attempt starts now (an operator took the
    /// saga in hand).
    fn skip_backoff(&mut self, ctx: &mut Context<Self>) {
        if let Some(handle) = self.backoff.take() {
            ctx.cancel_future(handle);
        }
    }

    /// Tries the store again later, starting from a fresh read.
    fn retry_store_later(&mut self, ctx: &mut Context<Self>) {
        self.cell = None;
        self.drive_pending = true;
        ctx.notify_later(Drive, STORE_RETRY);
    }

    /// Sends the saga's next party call, if it has one to make now.
    fn start_call(&mut self, ctx: &mut Context<Self>) {
        if self.runtime.draining.load(Ordering::SeqCst) {
            return;
        }
        let Some(next) = self.cell.as_ref().and_then(SagaCell::next_call) else {
            return;
        };
        self.calling = true;
        self.runtime.calls_in_flight.fetch_add(1, Ordering::SeqCst);
        let runtime = self.runtime.clone();
        let id = self.id.clone();
        let key = format!("{id}:{}", next.step);
        let me = ctx.address();
        actix::spawn(async move {
            let result = attempt::call(&runtime, &id, &next, &key).await;
            me.do_send(Answered(Attempt {
                step: next.step,
                result,
            }));
        });
    }
}

/// The saga as the actor holds it, or as the store has it when the actor holds nothing
/// (a fresh actor, or one whose store access failed).
async fn in_hand_or_loaded(
    cell: Option<SagaCell>,
    runtime: &RuntimeContext,
    id: &WorkflowId,
) -> Result<SagaCell, EngineError> {
    match cell {
        Some(cell) => Ok(cell),
        None => SagaCell::load(runtime, id).await,
    }
}

impl Actor for WorkflowActor {
    type Context = Context<Self>;
}

impl Handler<Deliver> for WorkflowActor {
    type Result = AtomicResponse<Self, Result<SagaView, EngineError>>;

    fn handle(&mut self, Deliver(event): Deliver, _: &mut Context<Self>) -> Self::Result {
        let runtime = self.runtime.clone();
        let id = self.id.clone();
        let cell = self.cell.take();
        AtomicResponse::new(Box::pin(
            async move {
                let cell = match in_hand_or_loaded(cell, &runtime, &id).await {
                    Ok(cell) => cell,
                    Err(error) => return (None, Err(error)),
                };
                let (cell, result) = cell.apply(&runtime, &event).await;
                let view = cell.view();
                (Some(cell), result.map(|()| (view, event)))
            }
            .into_actor(self)
            .map(|(cell, result), actor, ctx| {
                actor.cell = cell;
                let result = result.map(|(view, event)| {
                    if matches!(event, Event::Resume | Event::Signal(_)) {
                        actor.skip_backoff(ctx);
                    }
                    view
                });
                actor.settle(ctx);
                result
            }),
        ))
    }
}

impl Handler<Drive> for WorkflowActor {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, _: Drive, _: &mut Context<Self>) -> Self::Result {
        let runtime = self.runtime.clone();
        let id = self.id.clone();
        let cell = self.cell.take();
        AtomicResponse::new(Box::pin(
            async move {
                let mut cell = in_hand_or_loaded(cell, &runtime, &id).await?;
                let ours = cell.ensure_lease(&runtime).await?;
                Ok((cell, ours))
            }
            .into_actor(self)
            .map(|loaded, actor, ctx| {
                actor.drive_pending = false;
                match loaded {
                    Ok((cell, true)) => actor.cell = Some(cell),
                    Ok((_, false)) => {
                        tracing::debug!(saga_id = %actor.id, "another replica holds the lease");
                        actor.cell = None;
                    }
                    Err(EngineError::NotFound) => {
                        tracing::error!(saga_id = %actor.id, "saga vanished from the store");
                    }
                    Err(error) => {
                        tracing::error!(saga_id = %actor.id, %error, "saga not loaded; retrying");
                        return actor.retry_store_later(ctx);
                    }
                }
                if !actor.calling {
                    actor.start_call(ctx);
                }
                actor.settle(ctx);
            }),
        ))
    }
}

impl Handler<Answered> for WorkflowActor {
    type Result = AtomicResponse<Self, ()>;

    fn handle(&mut self, Answered(attempt): Answered, _: &mut Context<Self>) -> Self::Result {
        let runtime = self.runtime.clone();
        let id = self.id.clone();
        let cell = self.cell.take();
        AtomicResponse::new(Box::pin(
            async move {
                let cell = match in_hand_or_loaded(cell, &runtime, &id).await {
                    Ok(cell) => cell,
                    Err(error) => return (None, Err(error)),
                };
                let (cell, after) = cell.record_attempt(&runtime, &attempt).await;
                (Some(cell), after)
            }
            .into_actor(self)
            .map(|(cell, after), actor, ctx| {
                actor.calling = false;
                actor.runtime.calls_in_flight.fetch_sub(1, Ordering::SeqCst);
                actor.cell = cell;
                match after {
                    Ok(AfterAttempt::RetryIn(delay)) => {
                        let handle = ctx.run_later(delay, |actor, ctx| {
                            actor.backoff = None;
                            actor.settle(ctx);
                        });
                        actor.backoff = Some(handle);
                    }
                    Ok(AfterAttempt::Recorded | AfterAttempt::Stale) => {}
                    Err(EngineError::NotFound) => {
                        tracing::error!(saga_id = %actor.id, "saga vanished from the store");
                    }
                    Err(EngineError::Store(StoreError::LeaseLost(_))) => {
                        tracing::warn!(saga_id = %actor.id, "lease lost; another replica drives the saga");
                        actor.cell = None;
                    }
                    Err(error) => {
                        tracing::error!(saga_id = %actor.id, %error, "answer not recorded; the call will be replayed");
                        return actor.retry_store_later(ctx);
                    }
                }
                actor.settle(ctx);
            }),
        ))
    }
}

impl Handler<StopIfIdle> for WorkflowActor {
    type Result = bool;

    fn handle(&mut self, _: StopIfIdle, ctx: &mut Context<Self>) -> bool {
        let busy = self.busy() || self.cell.as_ref().is_some_and(SagaCell::needs_driving);
        if !busy {
            ctx.stop();
        }
        !busy
    }
}
