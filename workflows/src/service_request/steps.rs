//! The one step of a service request, and the empty undo and wait types it needs.

use super::request::{ServiceOperation, ServiceRequestOrder};
use crate::saga::{self, Effect, PartyCall, PartyReply};
use serde::{Deserialize, Serialize};

/// The forward step: the wallet performs the requested operation on the real account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ServiceStep {
    /// The wallet charges the account: the pivot, never undone.
    Charge,
}

impl saga::Step for ServiceStep {
    type Request = ServiceRequestOrder;
    type Undo = NoUndo;

    fn name(&self) -> String {
        match self {
            ServiceStep::Charge => ServiceOperation::Charge.as_str().to_owned(),
        }
    }

    fn call(&self, order: &ServiceRequestOrder) -> PartyCall {
        match self {
            ServiceStep::Charge => PartyCall::Charge {
                payment_account_id: order.payment_account_id.clone(),
                merchant_id: order.merchant_id.clone(),
                amount: order.amount.clone(),
            },
        }
    }

    fn effect(&self) -> Effect<NoUndo> {
        Effect::Pivot
    }
}

/// A service request has no compensation: its only effect is the pivot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoUndo {}

impl saga::Undo for NoUndo {
    fn name(&self) -> &'static str {
        match *self {}
    }

    fn call(&self, _: &PartyReply) -> Option<PartyCall> {
        match *self {}
    }
}

/// A service request never waits for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoWait {}
