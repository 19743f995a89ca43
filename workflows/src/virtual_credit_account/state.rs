//! The credit-application saga's state and what it reports.

use super::request::CreditApplicationRequest;
use super::steps::{CardStep, ForwardStep, UndoStep};
use crate::domain::{CardNumber, Money};
use crate::saga::{RefusalCode, SagaError, SagaStatus, StepRecord, StepStatus, WaitingFor};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the saga stands; each variant carries what that position needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// The next once-only forward step to perform.
    Forward {
        /// The step.
        step: ForwardStep,
    },
    /// Waiting for the person to supply a savings card.
    AwaitingSavingsCard {
        /// When the wait lapses; kept across refused cards.
        deadline: DateTime<Utc>,
        /// The reason code of the last refused card, if any.
        last_rejection: Option<RefusalCode>,
    },
    /// Verifying or binding the card the person supplied; the card lives only here, so it
    /// is dropped as soon as it is refused or bound.
    CheckingSavingsCard {
        /// The card step to perform, under the saga's current attempt number.
        step: CardStep,
        /// The supplied card.
        card: CardNumber,
        /// The wait's deadline, restored if the card is refused.
        deadline: DateTime<Utc>,
    },
    /// The next undo to perform.
    Compensating {
        /// The undo.
        undo: UndoStep,
    },
    /// Done.
    Completed,
    /// Every effect undone.
    Compensated,
    /// An undo was refused; an operator must retry.
    Failed {
        /// The undo to resume with.
        undo: UndoStep,
    },
}

/// The result API.md reports for a credit application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplicationResult {
    /// The person's credit account.
    pub credit_account_id: String,
    /// Its limit.
    pub credit_limit: Money,
    /// The savings binding it draws on; `None` when the person already held the account.
    pub savings_binding_id: Option<String>,
    /// Whether this saga created the credit account.
    pub created: bool,
}

/// The whole durable state of one credit-application saga.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditApplication {
    /// The wallet's matched real-name record and history.
    pub request: CreditApplicationRequest,
    /// How long the person has to supply a savings card, in seconds (from configuration).
    pub savings_deadline_secs: i64,
    /// Where the saga stands.
    pub phase: Phase,
    /// The credit account, once known (found or created).
    pub credit_account_id: Option<String>,
    /// Its limit, once known.
    pub credit_limit: Option<Money>,
    /// The savings binding the credit account will draw on, once known.
    pub savings_binding_id: Option<String>,
    /// Whether this saga made that binding (only then may it unbind it).
    pub bound_by_saga: bool,
    /// Whether this saga created the credit account.
    pub created: bool,
    /// How many savings cards the person has supplied; numbers the card steps.
    pub card_attempts: u32,
    /// Step history.
    pub steps: Vec<StepRecord>,
    /// Why the saga did not complete.
    pub error: Option<SagaError>,
}

impl CreditApplication {
    /// A new saga about to ask the bank for an existing credit account.
    pub fn start(request: CreditApplicationRequest, savings_deadline_secs: i64) -> Self {
        Self {
            request,
            savings_deadline_secs,
            phase: Phase::Forward {
                step: ForwardStep::CreditAccountLookup,
            },
            credit_account_id: None,
            credit_limit: None,
            savings_binding_id: None,
            bound_by_saga: false,
            created: false,
            card_attempts: 0,
            steps: Vec::new(),
            error: None,
        }
    }

    /// The status API.md reports.
    pub fn status(&self) -> SagaStatus {
        match self.phase {
            Phase::Forward { .. } | Phase::CheckingSavingsCard { .. } => SagaStatus::Running,
            Phase::AwaitingSavingsCard { .. } => SagaStatus::Waiting,
            Phase::Compensating { .. } => SagaStatus::Compensating,
            Phase::Completed => SagaStatus::Completed,
            Phase::Compensated => SagaStatus::Compensated,
            Phase::Failed { .. } => SagaStatus::Failed,
        }
    }

    /// The open human step, if any.
    pub fn waiting_for(&self) -> Option<WaitingFor> {
        match &self.phase {
            Phase::AwaitingSavingsCard {
                deadline,
                last_rejection,
            } => Some(WaitingFor::SavingsAccountBinding {
                deadline: *deadline,
                last_rejection: last_rejection.clone(),
            }),
            _ => None,
        }
    }

    /// The result, known only once the saga completed (the credit account exists then).
    pub fn result(&self) -> Option<CreditApplicationResult> {
        if self.status() != SagaStatus::Completed {
            return None;
        }
        Some(CreditApplicationResult {
            credit_account_id: self.credit_account_id.clone()?,
            credit_limit: self.credit_limit.clone()?,
            savings_binding_id: self.savings_binding_id.clone(),
            created: self.created,
        })
    }

    pub(super) fn record(&mut self, name: &str, status: StepStatus, at: DateTime<Utc>) {
        self.steps.push(StepRecord {
            name: name.to_owned(),
            status,
            at,
        });
    }

    pub(super) fn mark(&mut self, name: &str, status: StepStatus, at: DateTime<Utc>) {
        if let Some(record) = self.steps.iter_mut().rev().find(|r| r.name == name) {
            record.status = status;
            record.at = at;
        }
    }
}
