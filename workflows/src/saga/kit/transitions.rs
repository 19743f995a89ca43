//! The shared transition table, `(phase, event) -> phase`; the definition decides only
//! where its own forward steps and waits lead.
//!
//! | phase            | event                          | next                                         |
//! |------------------|--------------------------------|----------------------------------------------|
//! | `Running(s)`     | `s` succeeded                  | reply recorded on `s`'s undo; definition decides |
//! | `Running(s)`     | `s` refused                    | `s`'s undo popped; definition decides        |
//! | `Running(s)`     | cancel                         | `Resolving(s)`                               |
//! | `Resolving(s)`   | `s`'s outcome (late or replay) | settled like `Running`; then compensate (a pivot that succeeded completes) |
//! | `Waiting(w)`     | signal, before the deadline    | definition decides (`None`: refused)         |
//! | `Waiting(w)`     | signal, at or past the deadline | refused, even before the timer fires         |
//! | `Waiting(w)`     | deadline, once due             | definition decides (early: refused)          |
//! | `Waiting(w)`     | cancel                         | compensate                                   |
//! | `Compensating`   | replay of the in-doubt top     | reply recorded (unreadable: `Failed`); refusal pops it |
//! | `Compensating`   | undo succeeded / refused       | popped, step `compensated` / `Failed`        |
//! | `Failed`         | retry                          | `Compensating`                               |
//! | final phases     | anything else                  | [`TransitionError`]                          |

use super::phase::Phase;
use super::state::Kit;
use crate::saga::{
    Action, CallOutcome, Context, Definition, Effect, ErrorCode, IndexEntry, Next, Saga, SagaError,
    SagaStatus, Signal, Step, StepRecord, StepStatus, Tick, TransitionError, Undo, WaitingFor,
};

impl<D: Definition> Saga for Kit<D> {
    fn status(&self) -> SagaStatus {
        self.phase.status()
    }

    fn next_action(&self) -> Action {
        match &self.phase {
            Phase::Running { step } | Phase::Resolving { step } => Action::Call {
                call: step.call(&self.request),
                step: step.name(),
            },
            Phase::Waiting { wait } => Action::Wait {
                deadline: self.definition.waiting_for(wait).deadline(),
            },
            Phase::Compensating => self
                .undo
                .top()
                .map_or(Action::Finished, |e| e.action(&self.request)),
            Phase::Completed | Phase::Compensated | Phase::Failed => Action::Finished,
        }
    }

    fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError> {
        match self.phase.clone() {
            Phase::Running { step } => Ok(self.after_step(step, outcome, tick)),
            Phase::Resolving { step } => Ok(self.after_resolving(step, outcome, tick)),
            Phase::Compensating => self.after_compensating(outcome, tick),
            _ => Err(self.illegal("call_outcome")),
        }
    }

    fn on_signal(mut self, signal: Signal, tick: &Tick) -> Result<Self, TransitionError> {
        let unfit = TransitionError::unfit(&signal, self.status());
        let next = match (signal, &self.phase) {
            (Signal::Cancel, Phase::Running { step }) => {
                self.phase = Phase::Resolving { step: step.clone() };
                self.error = Some(cancelled());
                return Ok(self);
            }
            (Signal::Cancel, Phase::Waiting { .. }) => Next::Compensate(cancelled()),
            (Signal::Retry, Phase::Failed) => {
                self.phase = Phase::Compensating;
                return Ok(self);
            }
            (Signal::Cancel | Signal::Retry, _) => return Err(unfit),
            (_, Phase::Waiting { wait })
                if tick.now >= self.definition.waiting_for(wait).deadline() =>
            {
                return Err(unfit);
            }
            (signal, Phase::Waiting { wait }) => {
                let mut cx = Context::new(tick, &mut self.steps);
                self.definition
                    .on_signal(wait, signal, &mut cx)
                    .ok_or(unfit)?
            }
            (_, _) => return Err(unfit),
        };
        Ok(self.go(next))
    }

    fn on_deadline(mut self, tick: &Tick) -> Result<Self, TransitionError> {
        let wait = match &self.phase {
            Phase::Waiting { wait } if tick.now >= self.definition.waiting_for(wait).deadline() => {
                wait
            }
            _ => return Err(self.illegal("deadline")),
        };
        let mut cx = Context::new(tick, &mut self.steps);
        let next = self.definition.on_deadline(wait, &mut cx);
        Ok(self.go(next))
    }

    fn waiting_for(&self) -> Option<WaitingFor> {
        match &self.phase {
            Phase::Waiting { wait } => Some(self.definition.waiting_for(wait)),
            _ => None,
        }
    }

    fn steps(&self) -> &[StepRecord] {
        self.steps.as_slice()
    }

    fn result_json(&self) -> Option<serde_json::Value> {
        self.result().and_then(|r| serde_json::to_value(r).ok())
    }

    fn error(&self) -> Option<&SagaError> {
        self.error.as_ref()
    }

    fn index_entries(&self) -> Vec<IndexEntry<'_>> {
        match &self.phase {
            Phase::Waiting { wait } => self.definition.index_entries(wait),
            _ => Vec::new(),
        }
    }
}

impl<D: Definition> Kit<D> {
    /// A forward step's outcome: recorded in the history and on the step's undo, then
    /// the definition decides.
    fn after_step(mut self, step: D::Step, outcome: CallOutcome, tick: &Tick) -> Self {
        let name = step.name();
        self.undo.settle(&name, &outcome);
        let next = match outcome {
            CallOutcome::Refused { code } => {
                self.steps.record(&name, StepStatus::Failed, tick.now);
                self.definition.on_refusal(&step, code)
            }
            CallOutcome::Succeeded(reply) => {
                self.steps.record(&name, StepStatus::Done, tick.now);
                let mut cx = Context::new(tick, &mut self.steps);
                self.definition.on_reply(&step, reply, &mut cx)
            }
        };
        self.go(next)
    }

    /// The outcome of the step that was in flight when the saga was cancelled. A pivot that
    /// succeeded cannot be undone, so the saga goes forward as if never cancelled.
    fn after_resolving(mut self, step: D::Step, outcome: CallOutcome, tick: &Tick) -> Self {
        if matches!(step.effect(), Effect::Pivot) && matches!(outcome, CallOutcome::Succeeded(_)) {
            self.error = None;
            return self.after_step(step, outcome, tick);
        }
        let name = step.name();
        let status = match outcome {
            CallOutcome::Succeeded(_) => StepStatus::Done,
            CallOutcome::Refused { .. } => StepStatus::Failed,
        };
        self.steps.record(&name, status, tick.now);
        self.undo.settle(&name, &outcome);
        self.unwind()
    }

    /// The outcome of the top entry's action: the replay of its step while it is in doubt,
    /// otherwise its undo.
    fn after_compensating(
        mut self,
        outcome: CallOutcome,
        tick: &Tick,
    ) -> Result<Self, TransitionError> {
        let Some(top) = self.undo.top() else {
            return Err(self.illegal("call_outcome"));
        };
        let (step, undo) = (top.step.name(), top.undo.name());
        if top.undo_call().is_none() {
            self.undo.settle(&step, &outcome);
            let unreadable = self
                .undo
                .top()
                .is_some_and(|top| top.step.name() == step && top.undo_call().is_none());
            return Ok(if unreadable {
                self.fail(format!("{step} answered without saying what to undo"))
            } else {
                self.unwind()
            });
        }
        Ok(match outcome {
            CallOutcome::Succeeded(_) => {
                self.undo.pop();
                self.steps.mark(&step, StepStatus::Compensated, tick.now);
                self.unwind()
            }
            CallOutcome::Refused { code } => self.fail(format!("{undo} was refused ({code})")),
        })
    }

    /// Moves to where a decision leads, registering a next step's undo before the state
    /// that makes it the next action is committed.
    fn go(mut self, next: Next<D>) -> Self {
        match next {
            Next::Call(step) => {
                self.undo.register(&step);
                self.phase = Phase::Running { step };
            }
            Next::Wait(wait) => self.phase = Phase::Waiting { wait },
            Next::Complete => self.phase = Phase::Completed,
            Next::Compensate(error) => {
                self.error = Some(error);
                return self.unwind();
            }
        }
        self
    }

    /// Compensates what is left on the undo stack, or ends compensated.
    fn unwind(mut self) -> Self {
        self.phase = if self.undo.is_empty() {
            Phase::Compensated
        } else {
            Phase::Compensating
        };
        self
    }

    /// Ends `failed` with the top entry kept for an operator's retry.
    fn fail(mut self, what: String) -> Self {
        let cause = self.error.as_ref().map_or("", |e| e.code.as_str());
        self.error = Some(SagaError::new(
            ErrorCode::CompensationFailed,
            format!("{what} while undoing after {cause}"),
        ));
        self.phase = Phase::Failed;
        self
    }

    fn illegal(&self, event: &'static str) -> TransitionError {
        TransitionError::Illegal {
            event,
            status: self.status(),
        }
    }
}

fn cancelled() -> SagaError {
    SagaError::new(ErrorCode::Cancelled, "an operator cancelled the saga")
}
