//! The registration saga's state and what it reports.

use super::request::RegistrationRequest;
use super::steps::{ForwardStep, UndoStep};
use crate::saga::{SagaError, SagaStatus, StepRecord, StepStatus, WaitingFor};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where the saga stands; each variant carries what that position needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// The next forward step to perform.
    Forward {
        /// The step.
        step: ForwardStep,
    },
    /// Waiting for the person to decide on a security prompt.
    AwaitingSecurity {
        /// The open prompt.
        prompt_id: String,
        /// When it lapses.
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

/// The result API.md reports for a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationResult {
    /// The person's payment account.
    pub payment_account_id: String,
    /// Whether this saga registered it.
    pub account_created: bool,
    /// The card binding, once made.
    pub binding_id: Option<String>,
}

/// The whole durable state of one registration saga.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The bank's validated request.
    pub request: RegistrationRequest,
    /// How long a security prompt stays open, in seconds (from configuration at start).
    pub prompt_ttl_secs: i64,
    /// Where the saga stands.
    pub phase: Phase,
    /// The person's payment account, once known.
    pub payment_account_id: Option<String>,
    /// Whether this saga registered that account (only then may it close it).
    pub account_created: bool,
    /// The binding this saga made, while it stands.
    pub binding_id: Option<String>,
    /// Step history.
    pub steps: Vec<StepRecord>,
    /// Why the saga did not complete.
    pub error: Option<SagaError>,
}

impl Registration {
    /// A new saga about to look the person up.
    pub fn start(request: RegistrationRequest, prompt_ttl_secs: i64) -> Self {
        Self {
            request,
            prompt_ttl_secs,
            phase: Phase::Forward {
                step: ForwardStep::LookupPerson,
            },
            payment_account_id: None,
            account_created: false,
            binding_id: None,
            steps: Vec::new(),
            error: None,
        }
    }

    /// The status API.md reports.
    pub fn status(&self) -> SagaStatus {
        match self.phase {
            Phase::Forward { .. } => SagaStatus::Running,
            Phase::AwaitingSecurity { .. } => SagaStatus::Waiting,
            Phase::Compensating { .. } => SagaStatus::Compensating,
            Phase::Completed => SagaStatus::Completed,
            Phase::Compensated => SagaStatus::Compensated,
            Phase::Failed { .. } => SagaStatus::Failed,
        }
    }

    /// The open human step, if any.
    pub fn waiting_for(&self) -> Option<WaitingFor> {
        match &self.phase {
            Phase::AwaitingSecurity {
                prompt_id,
                deadline,
            } => Some(WaitingFor::SecurityPrompt {
                prompt_id: prompt_id.clone(),
                deadline: *deadline,
            }),
            _ => None,
        }
    }

    /// The result, known as soon as the payment account is, and withdrawn by compensation.
    pub fn result(&self) -> Option<RegistrationResult> {
        let live = matches!(
            self.status(),
            SagaStatus::Running | SagaStatus::Waiting | SagaStatus::Completed
        );
        let payment_account_id = self.payment_account_id.clone().filter(|_| live)?;
        Some(RegistrationResult {
            payment_account_id,
            account_created: self.account_created,
            binding_id: self.binding_id.clone(),
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
