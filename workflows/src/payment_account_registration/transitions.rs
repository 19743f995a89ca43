//! The registration saga's decisions: which call each step makes, and where each reply,
//! refusal, security decision and deadline leads. Cancel, compensation, retry and late
//! events are the kit's.

use super::state::{RegistrationFlow, RegistrationResult, SecurityPrompt};
use super::steps::{RegistrationStep, SECURITY_AUTHENTICATION};
use crate::domain::PaymentAccountId;
use crate::saga::{
    Context, Definition, ErrorCode, IndexEntry, Next, PartyReply, RefusalCode, SagaError,
    SagaStatus, Signal, Step, StepStatus, WaitingFor,
};
use chrono::Duration;

impl Definition for RegistrationFlow {
    type Step = RegistrationStep;
    type Wait = SecurityPrompt;
    type Result = RegistrationResult;

    /// Lookup → (registration, skipped for a found account) → card verification → binding
    /// → security rule, which opens a prompt or completes.
    fn on_reply(
        &mut self,
        step: &RegistrationStep,
        reply: PartyReply,
        cx: &mut Context<'_>,
    ) -> Next<Self> {
        match (step, reply) {
            (RegistrationStep::LookupPerson, PartyReply::PersonLookedUp { payment_account_id }) => {
                match payment_account_id {
                    Some(existing) => {
                        let skipped = RegistrationStep::RegisterPaymentAccount.name();
                        cx.record(&skipped, StepStatus::Skipped);
                        self.account_known(existing)
                    }
                    None => Next::Call(RegistrationStep::RegisterPaymentAccount),
                }
            }
            (
                RegistrationStep::RegisterPaymentAccount,
                PartyReply::AccountRegistered { payment_account_id },
            ) => {
                self.account_created = true;
                self.account_known(payment_account_id)
            }
            (RegistrationStep::VerifyCard { payment_account_id }, PartyReply::CardVerified) => {
                Next::Call(RegistrationStep::BindCard {
                    payment_account_id: payment_account_id.clone(),
                })
            }
            (
                RegistrationStep::BindCard { payment_account_id },
                PartyReply::CardBound { binding_id },
            ) => {
                self.binding_id = Some(binding_id);
                Next::Call(RegistrationStep::SecurityRule {
                    payment_account_id: payment_account_id.clone(),
                })
            }
            (
                RegistrationStep::SecurityRule { payment_account_id },
                PartyReply::SecurityRuleDecided { prompt_required },
            ) if prompt_required => Next::Wait(SecurityPrompt {
                prompt_id: cx.tick.fresh_prompt_id.clone(),
                payment_account_id: payment_account_id.clone(),
                deadline: cx.tick.now + Duration::seconds(self.prompt_ttl_secs),
            }),
            (RegistrationStep::SecurityRule { .. }, PartyReply::SecurityRuleDecided { .. }) => {
                Next::Complete
            }
            _ => cx.wrong_shape(step),
        }
    }

    fn on_refusal(&mut self, step: &RegistrationStep, code: RefusalCode) -> Next<Self> {
        Next::Compensate(SagaError::new(
            step.refusal_code(),
            format!("{} was refused by the party ({code})", step.name()),
        ))
    }

    fn on_signal(
        &mut self,
        prompt: &SecurityPrompt,
        signal: Signal,
        cx: &mut Context<'_>,
    ) -> Option<Next<Self>> {
        match signal {
            Signal::SecurityDecision {
                prompt_id,
                approved: true,
            } if prompt_id == prompt.prompt_id => {
                cx.record(SECURITY_AUTHENTICATION, StepStatus::Done);
                Some(Next::Complete)
            }
            Signal::SecurityDecision {
                prompt_id,
                approved: false,
            } if prompt_id == prompt.prompt_id => {
                cx.record(SECURITY_AUTHENTICATION, StepStatus::Failed);
                Some(Next::Compensate(SagaError::new(
                    ErrorCode::SecurityRejected,
                    "the person rejected the security prompt",
                )))
            }
            _ => None,
        }
    }

    fn on_deadline(&mut self, _: &SecurityPrompt, cx: &mut Context<'_>) -> Next<Self> {
        cx.record(SECURITY_AUTHENTICATION, StepStatus::Failed);
        let detail = "the security prompt was not decided before its deadline";
        Next::Compensate(SagaError::new(ErrorCode::SecurityTimeout, detail))
    }

    fn waiting_for(&self, prompt: &SecurityPrompt) -> WaitingFor {
        WaitingFor::SecurityPrompt {
            prompt_id: prompt.prompt_id.clone(),
            deadline: prompt.deadline,
        }
    }

    /// Known as soon as the payment account is, and withdrawn by compensation.
    fn result(&self, status: SagaStatus) -> Option<RegistrationResult> {
        let live = matches!(
            status,
            SagaStatus::Running | SagaStatus::Waiting | SagaStatus::Completed
        );
        let payment_account_id = self.payment_account_id.clone().filter(|_| live)?;
        Some(RegistrationResult {
            payment_account_id,
            account_created: self.account_created,
            binding_id: self.binding_id.clone(),
        })
    }

    fn index_entries<'a>(&'a self, prompt: &'a SecurityPrompt) -> Vec<IndexEntry<'a>> {
        vec![IndexEntry::SecurityPrompt {
            payment_account_id: &prompt.payment_account_id,
            prompt_id: &prompt.prompt_id,
        }]
    }
}

impl RegistrationFlow {
    /// Once the account is known (found or registered), the bank verifies the card for it.
    fn account_known(&mut self, payment_account_id: PaymentAccountId) -> Next<Self> {
        self.payment_account_id = Some(payment_account_id.clone());
        Next::Call(RegistrationStep::VerifyCard { payment_account_id })
    }
}
