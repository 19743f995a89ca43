//! The service-request saga's decisions: the wallet's charge completes it, a refusal
//! rejects it. Cancel, retry and late events are the kit's.

use super::state::{ServiceFlow, ServiceRequestResult};
use super::steps::{NoWait, ServiceStep};
use crate::saga::{
    Context, Definition, ErrorCode, Next, PartyReply, RefusalCode, SagaError, SagaStatus, Signal,
    WaitingFor,
};

impl Definition for ServiceFlow {
    type Step = ServiceStep;
    type Wait = NoWait;
    type Result = ServiceRequestResult;

    fn on_reply(
        &mut self,
        step: &ServiceStep,
        reply: PartyReply,
        cx: &mut Context<'_>,
    ) -> Next<Self> {
        match (step, reply) {
            (ServiceStep::Charge, PartyReply::Charged { charge_id }) => {
                self.charge_id = Some(charge_id);
                Next::Complete
            }
            _ => cx.wrong_shape(step),
        }
    }

    /// The wallet charged nothing: the request is rejected with the refusal's reason.
    fn on_refusal(&mut self, _: &ServiceStep, code: RefusalCode) -> Next<Self> {
        let error = match code {
            RefusalCode::InsufficientFunds => ErrorCode::InsufficientFunds,
            _ => ErrorCode::ChargeRefused,
        };
        Next::Compensate(SagaError::new(
            error,
            format!("the wallet refused the charge ({code})"),
        ))
    }

    fn on_signal(&mut self, wait: &NoWait, _: Signal, _: &mut Context<'_>) -> Option<Next<Self>> {
        match *wait {}
    }

    fn on_deadline(&mut self, wait: &NoWait, _: &mut Context<'_>) -> Next<Self> {
        match *wait {}
    }

    fn waiting_for(&self, wait: &NoWait) -> WaitingFor {
        match *wait {}
    }

    /// Known once the wallet charged.
    fn result(&self, status: SagaStatus) -> Option<ServiceRequestResult> {
        match status {
            SagaStatus::Completed => Some(ServiceRequestResult {
                charge_id: self.charge_id.clone()?,
            }),
            _ => None,
        }
    }
}
