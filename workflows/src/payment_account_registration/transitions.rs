//! The registration saga's transition table: `(state, event) -> state`, and the action
//! each state asks for. Terminal states refuse every late event with a typed error.

use super::state::{Phase, Registration};
use super::steps::{ForwardStep, UndoStep, SECURITY_AUTHENTICATION};
use crate::saga::{
    Action, CallOutcome, ErrorCode, PartyCall, PartyReply, SagaError, Signal, StepStatus, Tick,
    TransitionError,
};
use chrono::{DateTime, Duration, Utc};

impl Registration {
    /// What the runtime must do next.
    pub fn next_action(&self) -> Action {
        match &self.phase {
            Phase::Forward { step } => Action::Call {
                call: self.forward_call(*step),
                step: step.name().to_owned(),
            },
            Phase::Compensating { undo } => Action::Call {
                call: self.undo_call(*undo),
                step: undo.name().to_owned(),
            },
            Phase::AwaitingSecurity { deadline, .. } => Action::Wait {
                deadline: *deadline,
            },
            Phase::Completed | Phase::Compensated | Phase::Failed { .. } => Action::Finished,
        }
    }

    fn forward_call(&self, step: ForwardStep) -> PartyCall {
        let request = &self.request;
        let account = || self.payment_account_id.clone().unwrap_or_default();
        match step {
            ForwardStep::LookupPerson => PartyCall::LookupPerson {
                id_number: request.id_number.clone(),
            },
            ForwardStep::RegisterPaymentAccount => PartyCall::RegisterAccount {
                name: request.name.clone(),
                id_number: request.id_number.clone(),
                phone: request.phone.clone(),
            },
            ForwardStep::VerifyCard => PartyCall::VerifyCard {
                card_number: request.card_number.clone(),
                id_number: request.id_number.clone(),
            },
            ForwardStep::BindCard => PartyCall::BindCard {
                payment_account_id: account(),
                card_number: request.card_number.clone(),
            },
            ForwardStep::SecurityRule => PartyCall::SecurityRule {
                payment_account_id: account(),
            },
        }
    }

    fn undo_call(&self, undo: UndoStep) -> PartyCall {
        match undo {
            UndoStep::UnbindCard => PartyCall::UnbindCard {
                binding_id: self.binding_id.clone().unwrap_or_default(),
            },
            UndoStep::CloseAccount => PartyCall::CloseAccount {
                payment_account_id: self.payment_account_id.clone().unwrap_or_default(),
            },
        }
    }

    /// Feeds back the outcome of the call that [`Registration::next_action`] asked for.
    pub fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError> {
        match self.phase.clone() {
            Phase::Forward { step } => Ok(self.after_forward(step, outcome, tick)),
            Phase::Compensating { undo } => Ok(self.after_undo(undo, outcome, tick.now)),
            _ => Err(self.illegal("call_outcome")),
        }
    }

    fn after_forward(mut self, step: ForwardStep, outcome: CallOutcome, tick: &Tick) -> Self {
        let now = tick.now;
        let reply = match outcome {
            CallOutcome::Refused { code } => {
                self.record(step.name(), StepStatus::Failed, now);
                let error = SagaError::new(
                    step.refusal_code(),
                    format!("{} was refused by the party ({code})", step.name()),
                );
                return self.compensate(error);
            }
            CallOutcome::Succeeded(reply) => reply,
        };
        self.record(step.name(), StepStatus::Done, now);
        let next = match (step, reply) {
            (ForwardStep::LookupPerson, PartyReply::PersonLookedUp { payment_account_id }) => {
                match payment_account_id {
                    Some(existing) => {
                        self.payment_account_id = Some(existing);
                        self.record(
                            ForwardStep::RegisterPaymentAccount.name(),
                            StepStatus::Skipped,
                            now,
                        );
                        ForwardStep::VerifyCard
                    }
                    None => ForwardStep::RegisterPaymentAccount,
                }
            }
            (
                ForwardStep::RegisterPaymentAccount,
                PartyReply::AccountRegistered { payment_account_id },
            ) => {
                self.payment_account_id = Some(payment_account_id);
                self.account_created = true;
                ForwardStep::VerifyCard
            }
            (ForwardStep::VerifyCard, PartyReply::CardVerified) => ForwardStep::BindCard,
            (ForwardStep::BindCard, PartyReply::CardBound { binding_id }) => {
                self.binding_id = Some(binding_id);
                ForwardStep::SecurityRule
            }
            (ForwardStep::SecurityRule, PartyReply::SecurityRuleDecided { prompt_required }) => {
                self.phase = if prompt_required {
                    Phase::AwaitingSecurity {
                        prompt_id: tick.fresh_id.clone(),
                        deadline: now + Duration::seconds(self.prompt_ttl_secs),
                    }
                } else {
                    Phase::Completed
                };
                return self;
            }
            (step, _) => {
                self.mark(step.name(), StepStatus::Failed, now);
                let error = SagaError::new(
                    ErrorCode::PartyProtocolError,
                    format!("{} got an answer of the wrong shape", step.name()),
                );
                return self.compensate(error);
            }
        };
        self.phase = Phase::Forward { step: next };
        self
    }

    fn after_undo(mut self, undo: UndoStep, outcome: CallOutcome, now: DateTime<Utc>) -> Self {
        match outcome {
            CallOutcome::Succeeded(_) => {
                self.mark(undo.undoes().name(), StepStatus::Compensated, now);
                match undo {
                    UndoStep::UnbindCard => self.binding_id = None,
                    UndoStep::CloseAccount => self.account_created = false,
                }
                self.phase = self.next_undo();
            }
            CallOutcome::Refused { code } => {
                let cause = self.error.as_ref().map_or("", |e| e.code.as_str());
                self.error = Some(SagaError::new(
                    ErrorCode::CompensationFailed,
                    format!(
                        "{} was refused ({code}) while undoing after {cause}",
                        undo.name()
                    ),
                ));
                self.phase = Phase::Failed { undo };
            }
        }
        self
    }

    /// Starts undoing, newest effect first, recording why.
    fn compensate(mut self, error: SagaError) -> Self {
        self.error = Some(error);
        self.phase = self.next_undo();
        self
    }

    fn next_undo(&self) -> Phase {
        if self.binding_id.is_some() {
            Phase::Compensating {
                undo: UndoStep::UnbindCard,
            }
        } else if self.account_created {
            Phase::Compensating {
                undo: UndoStep::CloseAccount,
            }
        } else {
            Phase::Compensated
        }
    }

    /// Applies a signal from the API.
    pub fn on_signal(mut self, signal: Signal, tick: &Tick) -> Result<Self, TransitionError> {
        let now = tick.now;
        match (signal, &self.phase) {
            (
                Signal::SecurityDecision {
                    prompt_id,
                    approved,
                },
                Phase::AwaitingSecurity {
                    prompt_id: open, ..
                },
            ) if prompt_id == *open => {
                if approved {
                    self.record(SECURITY_AUTHENTICATION, StepStatus::Done, now);
                    self.phase = Phase::Completed;
                    Ok(self)
                } else {
                    self.record(SECURITY_AUTHENTICATION, StepStatus::Failed, now);
                    let error = SagaError::new(
                        ErrorCode::SecurityRejected,
                        "the person rejected the security prompt",
                    );
                    Ok(self.compensate(error))
                }
            }
            (Signal::SecurityDecision { .. }, _) => Err(TransitionError::PromptClosed),
            (Signal::Cancel, Phase::Forward { .. } | Phase::AwaitingSecurity { .. }) => {
                let error = SagaError::new(ErrorCode::Cancelled, "an operator cancelled the saga");
                Ok(self.compensate(error))
            }
            (Signal::Retry, Phase::Failed { undo }) => {
                self.phase = Phase::Compensating { undo: *undo };
                Ok(self)
            }
            (signal, _) => Err(self.illegal(signal.name())),
        }
    }

    /// Fires the saga's deadline; a deadline that is not yet due or belongs to a closed
    /// prompt is refused, so a stale timer changes nothing.
    pub fn on_deadline(mut self, tick: &Tick) -> Result<Self, TransitionError> {
        match &self.phase {
            Phase::AwaitingSecurity { deadline, .. } if tick.now >= *deadline => {
                self.record(SECURITY_AUTHENTICATION, StepStatus::Failed, tick.now);
                let error = SagaError::new(
                    ErrorCode::SecurityTimeout,
                    "the security prompt was not decided before its deadline",
                );
                Ok(self.compensate(error))
            }
            _ => Err(self.illegal("deadline")),
        }
    }

    fn illegal(&self, event: &'static str) -> TransitionError {
        TransitionError::Illegal {
            event,
            status: self.status(),
        }
    }
}
