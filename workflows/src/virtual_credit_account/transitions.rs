//! The credit-application saga's decisions: which call each step makes, and where each
//! reply, refusal, supplied card and deadline leads. Cancel, compensation, retry and late
//! events are the kit's.

use super::state::{CreditApplicationResult, CreditFlow, SavingsCardWait};
use super::steps::{CardAttempt, CreditStep};
use super::steps::{CREATE_CREDIT_ACCOUNT, SAVINGS_ACCOUNT_BINDING};
use crate::domain::BindingId;
use crate::saga::{
    Context, Definition, ErrorCode, Next, PartyReply, RefusalCode, SagaError, SagaStatus, Signal,
    Step, StepStatus, WaitingFor,
};
use chrono::Duration;

impl Definition for CreditFlow {
    type Step = CreditStep;
    type Wait = SavingsCardWait;
    type Result = CreditApplicationResult;

    /// A credit account the person holds completes at once; otherwise the savings binding,
    /// found or made from a supplied card, leads to the creation.
    fn on_reply(
        &mut self,
        step: &CreditStep,
        reply: PartyReply,
        cx: &mut Context<'_>,
    ) -> Next<Self> {
        match (step, reply) {
            (
                CreditStep::CreditAccountLookup,
                PartyReply::CreditAccountLookedUp {
                    credit_account_id: None,
                    ..
                },
            ) => Next::Call(CreditStep::SavingsStatus),
            (
                CreditStep::CreditAccountLookup,
                PartyReply::CreditAccountLookedUp {
                    credit_account_id: Some(existing),
                    credit_limit: Some(limit),
                },
            ) => {
                cx.record(CREATE_CREDIT_ACCOUNT, StepStatus::Skipped);
                self.credit_account_id = Some(existing);
                self.credit_limit = Some(limit);
                Next::Complete
            }
            (
                CreditStep::SavingsStatus,
                PartyReply::SavingsStatusReported { savings_binding_id },
            ) => match savings_binding_id {
                Some(existing) => {
                    cx.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Skipped);
                    self.binding_known(existing)
                }
                None => Next::Wait(SavingsCardWait {
                    deadline: cx.tick.now + Duration::seconds(self.savings_deadline_secs),
                    last_rejection: None,
                }),
            },
            (CreditStep::VerifySavingsCard(attempt), PartyReply::SavingsCardVerified) => {
                Next::Call(CreditStep::BindSavingsCard(attempt.clone()))
            }
            (CreditStep::BindSavingsCard(_), PartyReply::SavingsCardBound { binding_id }) => {
                cx.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Done);
                self.binding_known(binding_id)
            }
            (
                CreditStep::CreateCreditAccount { .. },
                PartyReply::CreditAccountCreated {
                    credit_account_id,
                    credit_limit,
                },
            ) => {
                self.credit_account_id = Some(credit_account_id);
                self.credit_limit = Some(credit_limit);
                self.created = true;
                Next::Complete
            }
            _ => cx.wrong_shape(step),
        }
    }

    /// A refused card only sends the saga back to waiting, with the same deadline and the
    /// refusal's code for the API to report.
    fn on_refusal(&mut self, step: &CreditStep, code: RefusalCode) -> Next<Self> {
        let error = match step {
            CreditStep::VerifySavingsCard(attempt) | CreditStep::BindSavingsCard(attempt) => {
                return Next::Wait(SavingsCardWait {
                    deadline: attempt.deadline,
                    last_rejection: Some(code),
                })
            }
            CreditStep::CreditAccountLookup => ErrorCode::CreditLookupRefused,
            CreditStep::SavingsStatus => ErrorCode::SavingsStatusRefused,
            CreditStep::CreateCreditAccount { .. } => ErrorCode::CreditCreationRefused,
        };
        let party = step.party();
        Next::Compensate(SagaError::new(
            error,
            format!(
                "{} was refused by the {} ({code})",
                step.name(),
                party.as_str()
            ),
        ))
    }

    /// A supplied card is accepted while waiting, also after the deadline passed if its
    /// timer has not fired yet.
    fn on_signal(
        &mut self,
        wait: &SavingsCardWait,
        signal: Signal,
        _: &mut Context<'_>,
    ) -> Option<Next<Self>> {
        let Signal::SavingsCardSupplied { card_number } = signal else {
            return None;
        };
        self.card_attempts += 1;
        Some(Next::Call(CreditStep::VerifySavingsCard(CardAttempt {
            card: card_number,
            number: self.card_attempts,
            deadline: wait.deadline,
        })))
    }

    fn on_deadline(&mut self, _: &SavingsCardWait, cx: &mut Context<'_>) -> Next<Self> {
        cx.record(SAVINGS_ACCOUNT_BINDING, StepStatus::Failed);
        let detail = "no savings account was bound before the deadline";
        Next::Compensate(SagaError::new(ErrorCode::SavingsBindingTimeout, detail))
    }

    fn waiting_for(&self, wait: &SavingsCardWait) -> WaitingFor {
        WaitingFor::SavingsAccountBinding {
            deadline: wait.deadline,
            last_rejection: wait.last_rejection.clone(),
        }
    }

    /// Known only once the saga completed (the credit account exists then).
    fn result(&self, status: SagaStatus) -> Option<CreditApplicationResult> {
        if status != SagaStatus::Completed {
            return None;
        }
        Some(CreditApplicationResult {
            credit_account_id: self.credit_account_id.clone()?,
            credit_limit: self.credit_limit.clone()?,
            savings_binding_id: self.savings_binding_id.clone(),
            created: self.created,
        })
    }
}

impl CreditFlow {
    /// Once a savings binding is known (found or made), the bank creates the credit
    /// account against it.
    fn binding_known(&mut self, savings_binding_id: BindingId) -> Next<Self> {
        self.savings_binding_id = Some(savings_binding_id.clone());
        Next::Call(CreditStep::CreateCreditAccount { savings_binding_id })
    }
}
