//! The parties as the tests model them: they honour idempotency keys, and the ledger
//! tracks which effects may have been applied.

use crate::saga::{CallOutcome, PartyCall, PartyReply};
use std::collections::BTreeMap;

/// A model of the parties: how they answer a call the first time they see its key.
pub(crate) trait World {
    /// The answer to a call not sent before.
    fn answer(&mut self, call: &PartyCall) -> CallOutcome;
}

/// What a party made for the saga (accounts, bindings), in order, with whether each still
/// stands.
#[derive(Debug, Default)]
pub(crate) struct Made(Vec<(String, bool)>);

impl Made {
    /// Makes one more, named `{prefix}_{n}`.
    pub fn make(&mut self, prefix: &str) -> String {
        let id = format!("{prefix}_{}", self.0.len());
        self.0.push((id.clone(), true));
        id
    }

    /// Removes `id`, which the saga must have had made and not removed yet.
    pub fn remove(&mut self, id: &str) {
        let made = self.0.iter_mut().find(|(made, live)| made == id && *live);
        made.expect("removes only what the saga made and still stands")
            .1 = false;
    }

    /// How many still stand.
    pub fn live(&self) -> usize {
        self.0.iter().filter(|(_, live)| *live).count()
    }

    /// How many were ever made.
    pub fn made(&self) -> usize {
        self.0.len()
    }
}

/// An effect that has an undo, from the first time its call is sent until the saga
/// learns that it was undone or definitely refused.
#[derive(Debug)]
struct Effect {
    step: String,
    subject: Option<String>,
}

/// The parties' memory across calls: replies by idempotency key (a replay is answered
/// from it, as a party that honours keys does) and the effects that may have been applied.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    answered: BTreeMap<String, (PartyCall, CallOutcome)>,
    effects: Vec<Effect>,
}

impl Ledger {
    /// Sends `call` under `step`; only a key not answered before reaches `answer`.
    pub fn send(
        &mut self,
        step: &str,
        call: &PartyCall,
        answer: impl FnOnce(&PartyCall) -> CallOutcome,
    ) -> CallOutcome {
        if let Some((first, outcome)) = self.answered.get(step) {
            assert_eq!(first, call, "step {step} carried two different calls");
            return outcome.clone();
        }
        if has_undo(call) && !self.effects.iter().any(|e| e.step == step) {
            self.effects.push(Effect {
                step: step.to_owned(),
                subject: None,
            });
        }
        let outcome = answer(call);
        if let CallOutcome::Succeeded(reply) = &outcome {
            self.answered
                .insert(step.to_owned(), (call.clone(), outcome.clone()));
            if let Some(effect) = self.effects.iter_mut().find(|e| e.step == step) {
                effect.subject = subject(reply);
            }
        }
        outcome
    }

    /// The saga learns `outcome` of `call`: an effect it undid or the parties refused is
    /// no longer one that may have been applied.
    pub fn delivered(&mut self, step: &str, call: &PartyCall, outcome: &CallOutcome) {
        match (outcome, undoes(call)) {
            (CallOutcome::Refused { .. }, _) => self
                .effects
                .retain(|e| e.step != step || e.subject.is_some()),
            (CallOutcome::Succeeded(_), Some(undone)) => self
                .effects
                .retain(|e| e.subject.as_deref() != Some(undone)),
            (CallOutcome::Succeeded(_), None) => {}
        }
    }

    /// The steps whose effects may have been applied, oldest first.
    pub fn maybe_applied(&self) -> Vec<String> {
        self.effects.iter().map(|e| e.step.clone()).collect()
    }

    /// The steps whose effects were applied and not undone.
    pub fn applied(&self) -> Vec<String> {
        let applied = self.effects.iter().filter(|e| e.subject.is_some());
        applied.map(|e| e.step.clone()).collect()
    }

    /// What the undo stack must hold before `call` is sent under `step`: its undo is
    /// registered already.
    pub fn registered_before(&self, step: &str, call: &PartyCall) -> Vec<String> {
        let mut expected = self.maybe_applied();
        if has_undo(call) && !expected.iter().any(|s| s == step) {
            expected.push(step.to_owned());
        }
        expected
    }
}

/// The calls whose effect the sagas undo.
fn has_undo(call: &PartyCall) -> bool {
    matches!(
        call,
        PartyCall::RegisterAccount { .. }
            | PartyCall::BindCard { .. }
            | PartyCall::BindSavingsCard { .. }
    )
}

/// What an effect's reply names, by which its undo names it.
fn subject(reply: &PartyReply) -> Option<String> {
    match reply {
        PartyReply::AccountRegistered { payment_account_id } => {
            Some(payment_account_id.to_string())
        }
        PartyReply::CardBound { binding_id } | PartyReply::SavingsCardBound { binding_id } => {
            Some(binding_id.to_string())
        }
        _ => None,
    }
}

/// What an undo call undoes.
fn undoes(call: &PartyCall) -> Option<&str> {
    match call {
        PartyCall::CloseAccount { payment_account_id } => Some(payment_account_id.as_str()),
        PartyCall::UnbindCard { binding_id } => Some(binding_id.as_str()),
        _ => None,
    }
}
