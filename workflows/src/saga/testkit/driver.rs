//! A driver that feeds a saga the events of a run, checking at every point that its undo
//! stack holds exactly the undos of the effects that may have been applied.

use super::clock::tick;
use super::ids::prompt;
use super::parties::{Ledger, World};
use crate::saga::{Action, CallOutcome, Definition, Kit, PartyCall, PartyReply, RefusalCode};
use crate::saga::{Saga, SagaStatus, Signal, Step as _, Tick, TransitionError};
use chrono::Duration;
use proptest::prelude::*;

/// Checks that a final saga refuses every late event: a call's outcome, a cancel, a
/// deadline, a retry (unless it failed) and a security decision.
pub(crate) fn refuses_late_events(saga: &(impl Saga + Clone)) {
    let at = tick(99_999);
    let late = CallOutcome::Succeeded(PartyReply::Undone);
    assert!(saga.clone().on_outcome(late, &at).is_err());
    assert!(saga.clone().on_signal(Signal::Cancel, &at).is_err());
    assert!(saga.clone().on_deadline(&at).is_err());
    if saga.status() != SagaStatus::Failed {
        assert!(saga.clone().on_signal(Signal::Retry, &at).is_err());
    }
    let decision = Signal::SecurityDecision {
        prompt_id: prompt(1),
        approved: true,
    };
    let refused = saga.clone().on_signal(decision, &at);
    assert_eq!(refused.err(), Some(TransitionError::PromptClosed));
}

/// How the driver performs a call the saga asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallMove {
    /// The party answers as the world says.
    Answer,
    /// The party definitely refuses (nothing applied).
    Refuse,
    /// An operator cancels after the state naming the call was committed, before the call
    /// is sent; the saga then sends it as its resolution.
    CancelBeforeSend,
    /// The party applies the call but its answer is lost; an operator cancels, then the
    /// answer arrives late (`late`) or the saga's replay under the same key is answered.
    LoseAnswerThenCancel {
        /// Feed the original answer instead of replaying.
        late: bool,
    },
}

impl CallMove {
    /// A move from a random byte: mostly answers, some refusals and cancels.
    pub fn from_byte(byte: u8) -> Self {
        match byte % 16 {
            0 | 1 => CallMove::Refuse,
            2 => CallMove::CancelBeforeSend,
            3 => CallMove::LoseAnswerThenCancel { late: byte >= 128 },
            _ => CallMove::Answer,
        }
    }
}

/// A cancelling move at a call: before it is sent, or after its answer is lost.
pub(crate) fn a_cancel() -> impl Strategy<Value = CallMove> {
    prop_oneof![
        Just(CallMove::CancelBeforeSend),
        any::<bool>().prop_map(|late| CallMove::LoseAnswerThenCancel { late }),
    ]
}

/// Runs one saga against a world, checking the undo stack against the ledger at every
/// point of the run.
pub(crate) struct Driver<D: Definition, W> {
    /// The saga as last transitioned.
    pub saga: Kit<D>,
    /// The parties' model.
    pub world: W,
    /// The parties' memory.
    pub ledger: Ledger,
    clock: i64,
    lost: Option<(String, PartyCall)>,
}

impl<D: Definition, W: World> Driver<D, W> {
    /// A driver for `saga` against `world`.
    pub fn new(saga: Kit<D>, world: W) -> Self {
        Self {
            saga,
            world,
            ledger: Ledger::default(),
            clock: 0,
            lost: None,
        }
    }

    fn tick(&mut self) -> Tick {
        self.clock += 1;
        tick(self.clock)
    }

    fn stack(&self) -> Vec<String> {
        let entries = self.saga.undo_stack().iter();
        entries.map(|e| e.step.name()).collect()
    }

    /// Checks property (a) where no call is between being sent and being answered.
    pub fn check_stack(&self) {
        assert_eq!(self.stack(), self.ledger.maybe_applied(), "{:?}", self.saga);
    }

    fn feed(&mut self, step: &str, call: &PartyCall, outcome: CallOutcome) {
        self.ledger.delivered(step, call, &outcome);
        let tick = self.tick();
        self.saga = self.saga.clone().on_outcome(outcome, &tick).unwrap();
    }

    /// Delivers a signal the saga must accept.
    pub fn signal(&mut self, signal: Signal) {
        let tick = self.tick();
        self.saga = self.saga.clone().on_signal(signal, &tick).unwrap();
    }

    /// Performs the call the saga asks for, as `how` says.
    pub fn call(&mut self, how: CallMove) {
        let Action::Call { call, step } = self.saga.next_action() else {
            panic!("no call pending: {:?}", self.saga);
        };
        if let Some(lost) = self.lost.take() {
            assert_eq!((&step, &call), (&lost.0, &lost.1), "not a replay");
        }
        let registered = self.ledger.registered_before(&step, &call);
        assert_eq!(
            self.stack(),
            registered,
            "undo not registered before sending"
        );
        let running = self.saga.status() == SagaStatus::Running;
        if how == CallMove::CancelBeforeSend && running {
            return self.signal(Signal::Cancel);
        }
        let world = &mut self.world;
        let outcome = match how {
            CallMove::Refuse => self.ledger.send(&step, &call, |_| CallOutcome::Refused {
                code: RefusalCode::Declined,
            }),
            _ => self.ledger.send(&step, &call, |call| world.answer(call)),
        };
        self.check_stack();
        match how {
            CallMove::LoseAnswerThenCancel { late } if running => {
                self.signal(Signal::Cancel);
                self.check_stack();
                if late {
                    self.feed(&step, &call, outcome);
                } else {
                    self.lost = Some((step, call));
                }
            }
            _ => self.feed(&step, &call, outcome),
        }
    }

    /// Fires the deadline of the open wait, after checking an early one is refused.
    pub fn deadline(&mut self) {
        let Action::Wait { deadline } = self.saga.next_action() else {
            panic!("not waiting: {:?}", self.saga);
        };
        let early = Tick {
            now: deadline - Duration::seconds(1),
            fresh_prompt_id: prompt(0),
        };
        assert!(self.saga.clone().on_deadline(&early).is_err());
        let due = Tick {
            now: deadline,
            fresh_prompt_id: prompt(0),
        };
        self.saga = self.saga.clone().on_deadline(&due).unwrap();
    }

    /// Plays a random run: `moves` decide every call, wait and retry; `person` turns a
    /// byte into a person's signal for the open wait. Once the moves run out every call is
    /// answered, every wait lapses and a failed saga stays failed.
    pub fn explore(&mut self, moves: &[u8], person: impl Fn(&Kit<D>, u8) -> Signal) {
        let mut moves = moves.iter().copied();
        for _ in 0..400 {
            let next = moves.next();
            match self.saga.next_action() {
                Action::Call { .. } => {
                    self.call(next.map_or(CallMove::Answer, CallMove::from_byte))
                }
                Action::Wait { .. } => {
                    self.check_stack();
                    match next.map(|byte| (byte % 4, byte / 4)) {
                        Some((0, _)) => self.signal(Signal::Cancel),
                        Some((1 | 2, byte)) => {
                            let signal = person(&self.saga, byte);
                            self.signal(signal);
                        }
                        _ => self.deadline(),
                    }
                }
                Action::Finished => {
                    self.check_stack();
                    refuses_late_events(&self.saga);
                    match (self.saga.status(), next) {
                        (SagaStatus::Failed, Some(byte)) if byte % 2 == 0 => {
                            self.signal(Signal::Retry)
                        }
                        _ => return,
                    }
                }
            }
        }
        panic!("saga did not finish: {:?}", self.saga);
    }

    /// Answers every call, and lets `person` act on every wait, until the `at`-th event
    /// or a wait the person leaves open; cancels there as `cancel` says (at a call, one of
    /// the cancelling moves; while waiting, a plain cancel); then answers every call to the
    /// end. Returns the action that was pending when the cancel landed, if it landed before
    /// the saga finished.
    pub fn cancel_at(
        &mut self,
        at: usize,
        cancel: CallMove,
        person: impl Fn(&Kit<D>) -> Option<Signal>,
    ) -> Option<Action> {
        for _ in 0..at {
            match self.saga.next_action() {
                Action::Call { .. } => self.call(CallMove::Answer),
                Action::Wait { .. } => match person(&self.saga) {
                    Some(signal) => self.signal(signal),
                    None => break,
                },
                Action::Finished => break,
            }
        }
        let pending = self.saga.next_action();
        let landed = match &pending {
            Action::Call { .. } if self.saga.status() == SagaStatus::Running => {
                self.call(cancel);
                true
            }
            Action::Wait { .. } => {
                self.signal(Signal::Cancel);
                true
            }
            Action::Call { .. } | Action::Finished => false,
        };
        while let Action::Call { .. } = self.saga.next_action() {
            self.call(CallMove::Answer);
        }
        self.check_stack();
        landed.then_some(pending)
    }
}
