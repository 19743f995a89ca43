//! The ledger: every effect the parties applied, in order, so that a test can
//! prove nothing was done twice and nothing was left half-done.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::operation::{Operation, Party};
use crate::persistence::Write;
use crate::pipeline;
use crate::replies;
use crate::sandbox::Sandbox;

/// One applied effect; `subject` is the id of what it created or changed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Effect {
    pub party: Party,
    pub operation: Operation,
    pub idempotency_key: String,
    pub subject: String,
    pub at: DateTime<Utc>,
}

/// The effects in the order they were applied; an effect's position is its
/// key in the database, which keeps that order across restarts.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    effects: Vec<Effect>,
}

impl Ledger {
    /// Rebuilds the ledger from stored effects, already in order.
    pub(crate) fn from_effects(effects: Vec<Effect>) -> Ledger {
        Ledger { effects }
    }

    /// Appends an effect and returns the record to persist with it.
    pub(crate) fn record(&mut self, operation: Operation, key: &str, subject: String) -> Write {
        tracing::info!(
            party = operation.party().name(),
            operation = operation.name(),
            idempotency_key = key,
            subject = %subject,
            "sandbox effect applied"
        );
        let effect = Effect {
            party: operation.party(),
            operation,
            idempotency_key: key.to_owned(),
            subject,
            at: Utc::now(),
        };
        let position = self.effects.len() as u64;
        let write = Write::effect(position, &effect);
        self.effects.push(effect);
        write
    }
}

/// `GET /sandbox/ledger`: every effect, oldest first.
pub(crate) async fn list(sandbox: web::Data<Sandbox>) -> Result<HttpResponse, ApiError> {
    pipeline::inspect(&sandbox, |state| {
        json!(replies::Ledger {
            effects: state.ledger.effects.clone(),
        })
    })
    .await
}
