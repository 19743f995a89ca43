//! The credit-application saga's transition table: `(state, event) -> state`, and the
//! action each state asks for. Terminal states refuse every late event with a typed error.

use super::state::{CreditApplication, Phase};
use super::steps::{CardStep, ForwardStep, UndoStep, SAVINGS_ACCOUNT_BINDING};
use crate::domain::CardNumber;
use crate::saga::{
    Action, CallOutcome, ErrorCode, PartyCall, PartyReply, SagaError, Signal, StepStatus, Tick,
    TransitionError,
};
use chrono::{DateTime, Duration, Utc};

impl CreditApplication {
    /// What the runtime must do next.
    pub fn next_action(&self) -> Action {
        match &self.phase {
            Phase::Forward { step } => Action::Call {
                call: self.forward_call(*step),
                step: step.name().to_owned(),
            },
            Phase::CheckingSavingsCard { step, card, .. } => Action::Call {
                call: self.card_call(*step, card),
                step: step.name(self.card_attempts),
            },
            Phase::Compensating { undo } => Action::Call {
                call: self.undo_call(*undo),
                step: undo.name().to_owned(),
            },
            Phase::AwaitingSavingsCard { deadline, .. } => Action::Wait {
                deadline: *deadline,
            },
            Phase::Completed | Phase::Compensated | Phase::Failed { .. } => Action::Finished,
        }
    }

    fn forward_call(&self, step: ForwardStep) -> PartyCall {
        let request = &self.request;
        match step {
            ForwardStep::CreditAccountLookup => PartyCall::CreditAccountLookup {
                name: request.name.clone(),
                id_number: request.id_number.clone(),
            },
            ForwardStep::SavingsStatus => PartyCall::SavingsStatus {
                payment_account_id: request.payment_account_id.clone(),
            },
            ForwardStep::CreateCreditAccount => PartyCall::CreateCreditAccount {
                name: request.name.clone(),
                id_number: request.id_number.clone(),
                payment_account_id: request.payment_account_id.clone(),
                savings_binding_id: self.savings_binding_id.clone().unwrap_or_default(),
                history: request.history.clone(),
            },
        }
    }

    fn card_call(&self, step: CardStep, card: &CardNumber) -> PartyCall {
        match step {
            CardStep::VerifySavingsCard => PartyCall::VerifySavingsCard {
                card_number: card.clone(),
                id_number: self.request.id_number.clone(),
            },
            CardStep::BindSavingsCard => PartyCall::BindSavingsCard {
                payment_account_id: self.request.payment_account_id.clone(),
                card_number: card.clone(),
            },
        }
    }

    fn undo_call(&self, undo: UndoStep) -> PartyCall {
        match undo {
            UndoStep::UnbindSavingsCard => PartyCall::UnbindCard {
                binding_id: self.savings_binding_id.clone().unwrap_or_default(),
            },
        }
    }

    /// Feeds back the outcome of the call that [`CreditApplication::next_action`] asked for.
    pub fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError> {
        match self.phase.clone() {
            Phase::Forward { step } => Ok(self.after_forward(step, outcome, tick)),
            Phase::CheckingSavingsCard {
                step,
                card,
                deadline,
            } => Ok(self.after_card_step(step, card, deadline, outcome, tick.now)),
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
                    format!(
                        "{} was refused by the {} ({code})",
                        step.name(),
                        step.party().as_str()
                    ),
                );
                return self.compensate(error);
            }
            CallOutcome::Succeeded(reply) => reply,
        };
        match (step, reply) {
            (
                ForwardStep::CreditAccountLookup,
                PartyReply::CreditAccountLookedUp {
                    credit_account_id: None,
                    ..
                },
            ) => {
                self.record(step.name(), StepStatus::Done, now);
                self.phase = Phase::Forward {
                    step: ForwardStep::SavingsStatus,
                };
            }
            (
                ForwardStep::CreditAccountLookup,
                PartyReply::CreditAccountLookedUp {
                    credit_account_id: Some(existing),
                    credit_limit: Some(limit),
                },
            ) => {
                self.record(step.name(), StepStatus::Done, now);
                self.record(
                    ForwardStep::CreateCreditAccount.name(),
                    StepStatus::Skipped,
                    now,
                );
                self.credit_account_id = Some(existing);
                self.credit_limit = Some(limit);
                self.phase = Phase::Completed;
            }
            (
                ForwardStep::SavingsStatus,
                PartyReply::SavingsStatusReported { savings_binding_id },
            ) => {
                self.record(step.name(), StepStatus::Done, now);
                match savings_binding_id {
                    Some(existing) => {
                        self.savings_binding_id = Some(existing);
                        self.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Skipped, now);
                        self.phase = Phase::Forward {
                            step: ForwardStep::CreateCreditAccount,
                        };
                    }
                    None => {
                        self.phase = Phase::AwaitingSavingsCard {
                            deadline: now + Duration::seconds(self.savings_deadline_secs),
                            last_rejection: None,
                        };
                    }
                }
            }
            (
                ForwardStep::CreateCreditAccount,
                PartyReply::CreditAccountCreated {
                    credit_account_id,
                    credit_limit,
                },
            ) => {
                self.record(step.name(), StepStatus::Done, now);
                self.credit_account_id = Some(credit_account_id);
                self.credit_limit = Some(credit_limit);
                self.created = true;
                self.phase = Phase::Completed;
            }
            (step, _) => return self.protocol_error(step.name(), now),
        }
        self
    }

    /// A card step's outcome: a refusal only sends the saga back to waiting, with the same
    /// deadline and the refusal's code for the API to report.
    fn after_card_step(
        mut self,
        step: CardStep,
        card: CardNumber,
        deadline: DateTime<Utc>,
        outcome: CallOutcome,
        now: DateTime<Utc>,
    ) -> Self {
        let name = step.name(self.card_attempts);
        let reply = match outcome {
            CallOutcome::Refused { code } => {
                self.record(&name, StepStatus::Failed, now);
                self.phase = Phase::AwaitingSavingsCard {
                    deadline,
                    last_rejection: Some(code),
                };
                return self;
            }
            CallOutcome::Succeeded(reply) => reply,
        };
        match (step, reply) {
            (CardStep::VerifySavingsCard, PartyReply::SavingsCardVerified) => {
                self.record(&name, StepStatus::Done, now);
                self.phase = Phase::CheckingSavingsCard {
                    step: CardStep::BindSavingsCard,
                    card,
                    deadline,
                };
            }
            (CardStep::BindSavingsCard, PartyReply::SavingsCardBound { binding_id }) => {
                self.record(&name, StepStatus::Done, now);
                self.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Done, now);
                self.savings_binding_id = Some(binding_id);
                self.bound_by_saga = true;
                self.phase = Phase::Forward {
                    step: ForwardStep::CreateCreditAccount,
                };
            }
            _ => return self.protocol_error(&name, now),
        }
        self
    }

    fn after_undo(mut self, undo: UndoStep, outcome: CallOutcome, now: DateTime<Utc>) -> Self {
        match outcome {
            CallOutcome::Succeeded(_) => {
                let bound_in = undo.undoes().name(self.card_attempts);
                self.mark(&bound_in, StepStatus::Compensated, now);
                match undo {
                    UndoStep::UnbindSavingsCard => {
                        self.savings_binding_id = None;
                        self.bound_by_saga = false;
                    }
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

    /// An answer of the wrong shape: the step is recorded failed and the saga undoes.
    fn protocol_error(mut self, name: &str, now: DateTime<Utc>) -> Self {
        self.record(name, StepStatus::Failed, now);
        let error = SagaError::new(
            ErrorCode::PartyProtocolError,
            format!("{name} got an answer of the wrong shape"),
        );
        self.compensate(error)
    }

    /// Starts undoing, recording why.
    fn compensate(mut self, error: SagaError) -> Self {
        self.error = Some(error);
        self.phase = self.next_undo();
        self
    }

    /// Only a binding this saga made is undone; a pre-existing one is left alone.
    fn next_undo(&self) -> Phase {
        if self.bound_by_saga && self.savings_binding_id.is_some() {
            Phase::Compensating {
                undo: UndoStep::UnbindSavingsCard,
            }
        } else {
            Phase::Compensated
        }
    }

    /// Applies a signal from the API. A supplied card is accepted only while waiting for
    /// one (also after the deadline passed if its timer has not fired yet). No signal of this
    /// saga depends on the time, but the tick is part of the shared signature.
    pub fn on_signal(mut self, signal: Signal, _tick: &Tick) -> Result<Self, TransitionError> {
        match (signal, &self.phase) {
            (
                Signal::SavingsCardSupplied { card_number },
                Phase::AwaitingSavingsCard { deadline, .. },
            ) => {
                let deadline = *deadline;
                self.card_attempts += 1;
                self.phase = Phase::CheckingSavingsCard {
                    step: CardStep::VerifySavingsCard,
                    card: card_number,
                    deadline,
                };
                Ok(self)
            }
            (Signal::SecurityDecision { .. }, _) => Err(TransitionError::PromptClosed),
            (
                Signal::Cancel,
                Phase::Forward { .. }
                | Phase::AwaitingSavingsCard { .. }
                | Phase::CheckingSavingsCard { .. },
            ) => {
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

    /// Fires the saga's deadline; a deadline that is not yet due or arrives while the saga
    /// is not waiting is refused, so a stale timer changes nothing.
    pub fn on_deadline(mut self, tick: &Tick) -> Result<Self, TransitionError> {
        match &self.phase {
            Phase::AwaitingSavingsCard { deadline, .. } if tick.now >= *deadline => {
                self.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Failed, tick.now);
                let error = SagaError::new(
                    ErrorCode::SavingsBindingTimeout,
                    "no savings account was bound before the deadline",
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
