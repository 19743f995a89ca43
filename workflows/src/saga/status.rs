//! The lifecycle vocabulary shared by every saga: which kind it is and where it stands.

use serde::{Deserialize, Serialize};

/// Which saga definition drives a workflow; fixed for the workflow's life. Its wire
/// names (`as_str`) are given with [`crate::AnySaga`]'s variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SagaKind {
    /// Bank-initiated payment-account registration and card binding (seed 001).
    PaymentAccountRegistration,
    /// Wallet-initiated virtual credit account with savings-account binding (seed 004).
    VirtualCreditAccount,
    /// A merchant's service request made with a virtual service account id (seed 000).
    ServiceRequest,
}

/// Where a saga stands, as API.md's workflow resource reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SagaStatus {
    /// Forward steps are being executed.
    Running,
    /// Parked until a human acts or a deadline passes; holds no actor.
    Waiting,
    /// Every forward step succeeded.
    Completed,
    /// Undoing the effects of forward steps after a failure.
    Compensating,
    /// Every effect the saga made was undone.
    Compensated,
    /// Undo itself could not finish; an operator must act.
    Failed,
}

impl SagaStatus {
    /// The stable wire name, as API.md spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SagaStatus::Running => "running",
            SagaStatus::Waiting => "waiting",
            SagaStatus::Completed => "completed",
            SagaStatus::Compensating => "compensating",
            SagaStatus::Compensated => "compensated",
            SagaStatus::Failed => "failed",
        }
    }

    /// A saga in a final status never changes again (until an operator retries a failed one).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SagaStatus::Completed | SagaStatus::Compensated | SagaStatus::Failed
        )
    }

    /// A saga in this status has work to do without waiting for anyone,
    /// so the runtime must drive it (and resume it after a crash).
    pub fn needs_driving(self) -> bool {
        matches!(self, SagaStatus::Running | SagaStatus::Compensating)
    }
}
