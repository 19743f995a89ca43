//! The supervisor: the map of live saga actors. It starts an actor when a saga needs one
//! (spreading them over the runtime's threads), routes to it, and passivates it when the
//! saga waits or finishes, so parked sagas cost no memory.
//!
//! Passivation is a handshake: the supervisor asks the idle actor to stop and, until the
//! actor answers, holds every new request for that saga. So a saga never has two actors,
//! and a request that raced the stop is served by the old actor (if it stayed) or by a
//! fresh one (if it stopped), never by both.

use std::collections::HashMap;
use std::sync::Arc;

use actix::prelude::*;
use onboard_workflows::domain::WorkflowId;
use tokio::sync::oneshot;

use super::cell::{Context as RuntimeContext, Event, SagaCell};
use super::workflow_actor::{Deliver, StopIfIdle, WorkflowActor};

/// A saga's place in the supervisor's map.
enum Slot {
    /// Its actor serves requests.
    Live(Addr<WorkflowActor>),
    /// Its actor was asked to stop; requests wait for the answer.
    Stopping(Vec<oneshot::Sender<Addr<WorkflowActor>>>),
}

/// Owns the live actors.
pub(crate) struct Supervisor {
    runtime: Arc<RuntimeContext>,
    threads: Vec<ArbiterHandle>,
    next_thread: usize,
    live: HashMap<WorkflowId, Slot>,
}

/// Where a request for a saga goes: its actor now, or once a passivation has settled.
pub(crate) enum Routed {
    /// The saga's actor.
    Now(Addr<WorkflowActor>),
    /// The saga's actor once the pending passivation is decided.
    Later(oneshot::Receiver<Addr<WorkflowActor>>),
}

impl Supervisor {
    /// A supervisor placing actors on `threads` in turn, or on its own thread when there
    /// are none.
    pub fn new(runtime: Arc<RuntimeContext>, threads: Vec<ArbiterHandle>) -> Supervisor {
        Supervisor {
            runtime,
            threads,
            next_thread: 0,
            live: HashMap::new(),
        }
    }

    fn spawn(
        &mut self,
        id: &WorkflowId,
        cell: Option<SagaCell>,
        ctx: &mut Context<Self>,
    ) -> Addr<WorkflowActor> {
        let (saga_id, runtime, me) = (id.to_owned(), self.runtime.clone(), ctx.address());
        let addr = if self.threads.is_empty() {
            WorkflowActor::new(saga_id, runtime, me, cell).start()
        } else {
            let thread = &self.threads[self.next_thread % self.threads.len()];
            self.next_thread = self.next_thread.wrapping_add(1);
            WorkflowActor::start_in_arbiter(thread, move |_| {
                WorkflowActor::new(saga_id, runtime, me, cell)
            })
        };
        self.live.insert(id.to_owned(), Slot::Live(addr.clone()));
        addr
    }

    fn route(
        &mut self,
        id: &WorkflowId,
        cell: Option<SagaCell>,
        ctx: &mut Context<Self>,
    ) -> Routed {
        match self.live.get_mut(id) {
            Some(Slot::Live(addr)) if addr.connected() => Routed::Now(addr.clone()),
            Some(Slot::Stopping(waiting)) => {
                let (tx, rx) = oneshot::channel();
                waiting.push(tx);
                Routed::Later(rx)
            }
            _ => Routed::Now(self.spawn(id, cell, ctx)),
        }
    }
}

impl Actor for Supervisor {
    type Context = Context<Self>;
}

/// The actor of a saga, started if needed.
#[derive(Message)]
#[rtype(result = "Routed")]
pub(crate) struct Route {
    /// The saga.
    pub id: WorkflowId,
}

impl Handler<Route> for Supervisor {
    type Result = MessageResult<Route>;

    fn handle(&mut self, msg: Route, ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.route(&msg.id, None, ctx))
    }
}

/// Start driving a saga without waiting for it (after creation or a restart).
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Kick {
    /// The saga.
    pub id: WorkflowId,
    /// Its state, when the sender has it (a new saga), saving a read.
    pub cell: Option<SagaCell>,
}

impl Handler<Kick> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: Kick, ctx: &mut Context<Self>) {
        match self.route(&msg.id, msg.cell, ctx) {
            Routed::Now(addr) => addr.do_send(Deliver(Event::Wake)),
            Routed::Later(rx) => {
                actix::spawn(async move {
                    if let Ok(addr) = rx.await {
                        addr.do_send(Deliver(Event::Wake));
                    }
                });
            }
        }
    }
}

/// Start driving the sagas that hold no actor here; those live here are left alone.
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Sweep {
    /// The sagas whose lease is free or expired.
    pub ids: Vec<WorkflowId>,
}

impl Handler<Sweep> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: Sweep, ctx: &mut Context<Self>) {
        for id in msg.ids {
            if !self.live.contains_key(&id) {
                self.spawn(&id, None, ctx).do_send(Deliver(Event::Wake));
            }
        }
    }
}

/// An actor has nothing to do: ask it to stop, holding new requests until it answers.
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Passivate {
    /// The saga.
    pub id: WorkflowId,
    /// The idle actor.
    pub addr: Addr<WorkflowActor>,
}

impl Handler<Passivate> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: Passivate, ctx: &mut Context<Self>) {
        let current = matches!(self.live.get(&msg.id), Some(Slot::Live(addr)) if *addr == msg.addr);
        if !current {
            msg.addr.do_send(StopIfIdle);
            return;
        }
        self.live.insert(msg.id.clone(), Slot::Stopping(Vec::new()));
        let Passivate { id, addr } = msg;
        let asked = addr.clone();
        ctx.spawn(
            async move { asked.send(StopIfIdle).await.unwrap_or(true) }
                .into_actor(self)
                .map(move |stopped, supervisor, ctx| {
                    let waiting = match supervisor.live.remove(&id) {
                        Some(Slot::Stopping(waiting)) => waiting,
                        _ => Vec::new(),
                    };
                    let next = if stopped {
                        if waiting.is_empty() {
                            return;
                        }
                        supervisor.spawn(&id, None, ctx)
                    } else {
                        supervisor.live.insert(id.clone(), Slot::Live(addr.clone()));
                        addr
                    };
                    for tx in waiting {
                        let _ = tx.send(next.clone());
                    }
                }),
        );
    }
}

/// How many sagas hold an actor right now.
#[derive(Message)]
#[rtype(result = "usize")]
pub(crate) struct LiveCount;

impl Handler<LiveCount> for Supervisor {
    type Result = usize;

    fn handle(&mut self, _: LiveCount, _: &mut Context<Self>) -> usize {
        self.live.len()
    }
}
