//! What a saga module supplies to the [`Kit`](super::Kit): its own steps, their calls and
//! undos, and its decisions on replies, refusals, signals and deadlines. Everything the
//! sagas share (the step history, the undo stack, cancel, compensation, retry, illegal
//! events, final phases) is the kit's.

use super::{
    ErrorCode, IndexEntry, PartyCall, PartyReply, RefusalCode, SagaError, SagaStatus, Signal,
    StepLog, StepStatus, Tick, WaitingFor,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// The data a saga stores in the sealed state: owned, comparable, printable (with personal
/// data masked by the domain types) and serde.
pub trait Stored: Clone + Debug + PartialEq + Eq + Serialize + DeserializeOwned {}

impl<T: Clone + Debug + PartialEq + Eq + Serialize + DeserializeOwned> Stored for T {}

/// One saga definition: what it learns on the way and its decisions. What it was started
/// with is its steps' [`Step::Request`], which the kit keeps.
pub trait Definition: Stored {
    /// A forward step with the data its call needs beyond the request.
    type Step: Step;
    /// What the saga waits for from a person.
    type Wait: Stored;
    /// The result API.md reports.
    type Result: Serialize;

    /// The decision after `step` succeeded with `reply`; a reply of a shape the step does
    /// not expect is answered with [`Context::wrong_shape`].
    fn on_reply(
        &mut self,
        step: &Self::Step,
        reply: PartyReply,
        cx: &mut Context<'_>,
    ) -> Next<Self>;

    /// The decision after the party definitely refused `step` (it applied nothing).
    fn on_refusal(&mut self, step: &Self::Step, code: RefusalCode) -> Next<Self>;

    /// The decision on a person's signal while waiting on `wait`; `None` when the signal
    /// does not fit. Cancel and retry never reach a definition: the kit handles them.
    fn on_signal(
        &mut self,
        wait: &Self::Wait,
        signal: Signal,
        cx: &mut Context<'_>,
    ) -> Option<Next<Self>>;

    /// The decision when the deadline of `wait` has come (the kit refuses an early one).
    fn on_deadline(&mut self, wait: &Self::Wait, cx: &mut Context<'_>) -> Next<Self>;

    /// How API.md reports `wait`; its deadline is when the runtime fires the timer.
    fn waiting_for(&self, wait: &Self::Wait) -> WaitingFor;

    /// The result to report while the saga stands at `status`.
    fn result(&self, status: SagaStatus) -> Option<Self::Result>;

    /// The index entries the runtime must keep while the saga waits on `wait`.
    fn index_entries<'a>(&'a self, _wait: &'a Self::Wait) -> Vec<IndexEntry<'a>> {
        Vec::new()
    }
}

/// A forward step, declared with its call and with what its effect needs undone
/// (steno's `new_action(name, do, undo)`).
pub trait Step: Stored {
    /// What the saga was started with, which every step's call reads.
    type Request: Stored;
    /// The undos of the saga's steps.
    type Undo: Undo;

    /// The step's wire name, also the idempotency-key suffix of its call, so it names one
    /// distinct call within a saga.
    fn name(&self) -> String;

    /// The party call that performs the step.
    fn call(&self, request: &Self::Request) -> PartyCall;

    /// What the step changes at the party, and how that is undone.
    fn effect(&self) -> Effect<Self::Undo>;
}

/// What a forward step changes at the party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect<U> {
    /// Nothing (a lookup, a check): there is nothing to undo.
    ReadOnly,
    /// Something that `U` undoes. The undo is registered before the step's call is sent.
    UndoneBy(U),
    /// Something never undone (the saga's pivot): once it succeeded the saga goes forward
    /// only, so a cancel that lands while it is in flight ends completed if it was applied.
    Pivot,
}

/// The undo of a forward step's effect, reading its inputs from the step's recorded reply.
pub trait Undo: Stored {
    /// The undo's wire name, also the idempotency-key suffix of its call.
    fn name(&self) -> &'static str;

    /// The undo's call, read from the forward step's reply; `None` when the reply does not
    /// carry what the undo needs (then the step stays in doubt).
    fn call(&self, output: &PartyReply) -> Option<PartyCall>;
}

/// The undo type of definition `D`.
pub type UndoOf<D> = <<D as Definition>::Step as Step>::Undo;

/// The request type of definition `D`.
pub type RequestOf<D> = <<D as Definition>::Step as Step>::Request;

/// Where a decision sends the saga.
pub enum Next<D: Definition> {
    /// Make `step` the next action (registering its undo first).
    Call(D::Step),
    /// Wait for a person or the deadline.
    Wait(D::Wait),
    /// Every forward step is done.
    Complete,
    /// Undo everything, newest first, for this reason.
    Compensate(SagaError),
}

/// What a decision may read and note: the moment, and the step history.
pub struct Context<'a> {
    /// The time and fresh id of this transition.
    pub tick: &'a Tick,
    steps: &'a mut StepLog,
}

impl<'a> Context<'a> {
    pub(crate) fn new(tick: &'a Tick, steps: &'a mut StepLog) -> Self {
        Self { tick, steps }
    }

    /// Adds a line to the step history, e.g. a step skipped or a human step decided.
    pub fn record(&mut self, name: &str, status: StepStatus) {
        self.steps.record(name, status, self.tick.now);
    }

    /// The decision on a reply of a shape `step` does not expect: the step is recorded
    /// failed and the saga compensates with `party_protocol_error`.
    pub fn wrong_shape<D: Definition>(&mut self, step: &D::Step) -> Next<D> {
        let name = step.name();
        self.steps.mark(&name, StepStatus::Failed, self.tick.now);
        let detail = format!("{name} got an answer of the wrong shape");
        Next::Compensate(SagaError::new(ErrorCode::PartyProtocolError, detail))
    }
}
