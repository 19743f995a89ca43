//! The supervisor: the map of live saga actors. It starts an actor when a saga needs one
//! (spreading them over the runtime's threads), routes to it, and forgets it when the
//! saga waits or finishes, so parked sagas cost no memory.

use std::collections::HashMap;
use std::sync::Arc;

use actix::prelude::*;

use super::cell::{Context as RuntimeContext, Event, SagaCell};
use super::workflow_actor::{Deliver, Stop, WorkflowActor};

/// Owns the live actors.
pub(crate) struct Supervisor {
    runtime: Arc<RuntimeContext>,
    threads: Vec<ArbiterHandle>,
    next_thread: usize,
    live: HashMap<String, Addr<WorkflowActor>>,
}

impl Supervisor {
    /// A supervisor placing actors on `threads` in turn.
    pub fn new(runtime: Arc<RuntimeContext>, threads: Vec<ArbiterHandle>) -> Supervisor {
        Supervisor {
            runtime,
            threads,
            next_thread: 0,
            live: HashMap::new(),
        }
    }

    fn actor_for(
        &mut self,
        id: &str,
        cell: Option<SagaCell>,
        ctx: &mut Context<Self>,
    ) -> Addr<WorkflowActor> {
        if let Some(addr) = self.live.get(id).filter(|addr| addr.connected()) {
            return addr.clone();
        }
        let thread = &self.threads[self.next_thread % self.threads.len()];
        self.next_thread = self.next_thread.wrapping_add(1);
        let (saga_id, runtime, me) = (id.to_owned(), self.runtime.clone(), ctx.address());
        let addr = WorkflowActor::start_in_arbiter(thread, move |_| {
            WorkflowActor::new(saga_id, runtime, me, cell)
        });
        self.live.insert(id.to_owned(), addr.clone());
        addr
    }
}

impl Actor for Supervisor {
    type Context = Context<Self>;
}

/// The actor of a saga, started if needed.
#[derive(Message)]
#[rtype(result = "Addr<WorkflowActor>")]
pub(crate) struct Route {
    /// The saga.
    pub id: String,
}

impl Handler<Route> for Supervisor {
    type Result = MessageResult<Route>;

    fn handle(&mut self, msg: Route, ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.actor_for(&msg.id, None, ctx))
    }
}

/// Start driving a saga without waiting for it (after creation or a restart).
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Kick {
    /// The saga.
    pub id: String,
    /// Its state, when the sender has it (a new saga), saving a read.
    pub cell: Option<SagaCell>,
}

impl Handler<Kick> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: Kick, ctx: &mut Context<Self>) {
        self.actor_for(&msg.id, msg.cell, ctx)
            .do_send(Deliver(Event::Resume));
    }
}

/// An actor has nothing to do; forget it if it is still the saga's actor, and stop it.
#[derive(Message)]
#[rtype(result = "()")]
pub(crate) struct Passivate {
    /// The saga.
    pub id: String,
    /// The idle actor.
    pub addr: Addr<WorkflowActor>,
}

impl Handler<Passivate> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: Passivate, _: &mut Context<Self>) {
        if self.live.get(&msg.id) == Some(&msg.addr) {
            self.live.remove(&msg.id);
        }
        msg.addr.do_send(Stop);
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
