//! The sandbox's effect ledger, grouped per workflow by idempotency key
//! (`"{workflow_id}:{step}"`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// One effect a party applied.
#[derive(Debug, Clone, Deserialize)]
pub struct Effect {
    /// `bank` or `wallet`.
    pub party: String,
    /// e.g. `register_account`, `bind_card`, `unbind_card`, `close_account`.
    pub operation: String,
    /// The orchestrator's key, `"{workflow_id}:{step}"`.
    pub idempotency_key: String,
    /// The id of what the effect created or changed.
    pub subject: String,
    /// When it was applied.
    pub at: String,
}

/// Every effect, oldest first.
#[derive(Debug, Clone, Deserialize)]
pub struct Ledger {
    /// The effects.
    pub effects: Vec<Effect>,
}

impl Ledger {
    /// The effects of one workflow.
    pub fn of(&self, workflow_id: &str) -> Vec<&Effect> {
        let prefix = format!("{workflow_id}:");
        self.effects
            .iter()
            .filter(|e| e.idempotency_key.starts_with(&prefix))
            .collect()
    }

    /// How many times a workflow applied `operation`.
    pub fn count(&self, workflow_id: &str, operation: &str) -> usize {
        self.of(workflow_id)
            .iter()
            .filter(|e| e.operation == operation)
            .count()
    }

    /// The subject of a workflow's (first) `operation`.
    pub fn subject(&self, workflow_id: &str, operation: &str) -> Option<String> {
        self.of(workflow_id)
            .into_iter()
            .find(|e| e.operation == operation)
            .map(|e| e.subject.clone())
    }

    /// Operation name → count, for one workflow (for assertion messages).
    pub fn summary(&self, workflow_id: &str) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for effect in self.of(workflow_id) {
            *counts.entry(effect.operation.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// The workflow ids that appear in the ledger (the key up to its last `:`).
    pub fn workflow_ids(&self) -> BTreeSet<String> {
        self.effects
            .iter()
            .map(|e| {
                e.idempotency_key
                    .rsplit_once(':')
                    .map(|(id, _)| id.to_owned())
                    .unwrap_or_else(|| e.idempotency_key.clone())
            })
            .collect()
    }
}

/// An expected per-workflow summary, e.g. `counts(&[("bind_card", 1)])`.
pub fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(op, n)| ((*op).to_owned(), *n))
        .collect()
}
