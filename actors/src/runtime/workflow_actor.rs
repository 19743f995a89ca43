//! The actor of one live saga. It handles one message at a time (each handler is an
//! atomic future), so a saga never has two transitions in flight in this process; the
//! store's version check covers the rest (another process, a passivation race).

use std::sync::Arc;
use std::time::Duration;

use actix::prelude::*;
use onboard_workflows::domain::WorkflowId;

use super::cell::{Context as RuntimeContext, Event, SagaCell};
use super::supervisor::{Passivate, Supervisor};
use super::view::SagaView;
use super::EngineError;

/// How long a saga whose drive failed on the store waits before trying again.
const DRIVE_RETRY: Duration = Duration::from_secs(1);

/// Delivers an event to the saga and answers with its view after the event's transition.
#[derive(Message)]
#[rtype(result = "Result<SagaView, EngineError>")]
pub(crate) struct Deliver(pub Event);

/// Drives the saga through its calls until it waits or finishes.
#[derive(Message)]
#[rtype(result = "()")]
struct Drive;

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
    drive_pending: bool,
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
        }
    }

    /// After a message: drive on if there is work, otherwise offer to passivate.
    fn settle(&mut self, ctx: &mut Context<Self>) {
        let needs_driving = self.cell.as_ref().is_some_and(SagaCell::needs_driving);
        if needs_driving {
            if !self.drive_pending {
                self.drive_pending = true;
                ctx.notify(Drive);
            }
        } else if !self.drive_pending {
            self.supervisor.do_send(Passivate {
                id: self.id.clone(),
                addr: ctx.address(),
            });
        }
    }
}

/// The saga as the actor holds it, or as the store has it when the actor holds nothing
/// (a fresh actor, or one whose drive failed).
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
                (Some(cell), result.map(|()| view))
            }
            .into_actor(self)
            .map(|(cell, result), actor, ctx| {
                actor.cell = cell;
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
                let cell = match in_hand_or_loaded(cell, &runtime, &id).await {
                    Ok(cell) => cell,
                    Err(error) => return (None, Err(error)),
                };
                let (cell, result) = cell.drive(&runtime).await;
                (Some(cell), result)
            }
            .into_actor(self)
            .map(|(cell, result), actor, ctx| {
                actor.cell = cell;
                actor.drive_pending = false;
                if let Err(EngineError::NotFound) = result {
                    tracing::error!(saga_id = %actor.id, "saga vanished from the store");
                } else if let Err(error) = result {
                    tracing::error!(saga_id = %actor.id, %error, "drive interrupted; retrying");
                    actor.drive_pending = true;
                    actor.cell = None;
                    ctx.notify_later(Drive, DRIVE_RETRY);
                    return;
                }
                actor.settle(ctx);
            }),
        ))
    }
}

impl Handler<StopIfIdle> for WorkflowActor {
    type Result = bool;

    fn handle(&mut self, _: StopIfIdle, ctx: &mut Context<Self>) -> bool {
        let busy = self.drive_pending || self.cell.as_ref().is_some_and(SagaCell::needs_driving);
        if !busy {
            ctx.stop();
        }
        !busy
    }
}
