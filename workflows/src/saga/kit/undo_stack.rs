//! The persisted undo stack: an undo is pushed in the same transition that makes its step
//! the next action, so it is stored before the step's call can be sent.

use crate::saga::{Action, CallOutcome, Effect, PartyCall, PartyReply, Step, Undo};
use serde::{Deserialize, Serialize};

/// One registered undo with what it needs: the forward step itself (its name is the
/// idempotency-key suffix, and its call is rebuilt from the saga's request) from the start,
/// and the step's reply once it is recorded. Storing the step rather than its call keeps
/// personal data out of the stack, so each commit seals less.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct UndoEntry<S: Step> {
    /// The undo.
    pub undo: S::Undo,
    /// The forward step, replayed under its own name while it is in doubt.
    pub step: S,
    /// The forward step's reply, once recorded.
    pub output: Option<PartyReply>,
}

impl<S: Step> UndoEntry<S> {
    /// The undo's call, read from the step's recorded reply; `None` while the step is in
    /// doubt (its call may have been applied, but no readable reply is recorded).
    pub fn undo_call(&self) -> Option<PartyCall> {
        self.output
            .as_ref()
            .and_then(|output| self.undo.call(output))
    }

    /// What compensating this entry takes next: its undo, or while the step is in doubt,
    /// the step's call (rebuilt from the saga's `request`) replayed under the same name so
    /// that the party answers what it did.
    pub fn action(&self, request: &S::Request) -> Action {
        match self.undo_call() {
            Some(call) => Action::Call {
                call,
                step: self.undo.name().to_owned(),
            },
            None => Action::Call {
                call: self.step.call(request),
                step: self.step.name(),
            },
        }
    }
}

/// The undos of the effects that may have been applied, newest last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[serde(bound = "")]
pub(super) struct UndoStack<S: Step>(Vec<UndoEntry<S>>);

impl<S: Step> UndoStack<S> {
    /// An empty stack.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Registers `step`'s undo, if its effect has one, before its call can be sent.
    pub fn register(&mut self, step: &S) {
        if let Effect::UndoneBy(undo) = step.effect() {
            self.0.push(UndoEntry {
                undo,
                step: step.clone(),
                output: None,
            });
        }
    }

    /// Settles the top entry if it belongs to the step named `step` and `outcome` answers
    /// that step's call: a reply is recorded, a definite refusal pops the entry (nothing
    /// was applied).
    pub fn settle(&mut self, step: &str, outcome: &CallOutcome) {
        let Some(top) = self.0.last_mut().filter(|top| top.step.name() == step) else {
            return;
        };
        match outcome {
            CallOutcome::Succeeded(reply) => top.output = Some(reply.clone()),
            CallOutcome::Refused { .. } => {
                self.0.pop();
            }
        }
    }

    /// The newest entry.
    pub fn top(&self) -> Option<&UndoEntry<S>> {
        self.0.last()
    }

    /// Removes the newest entry once its undo succeeded.
    pub fn pop(&mut self) -> Option<UndoEntry<S>> {
        self.0.pop()
    }

    /// Whether nothing is left to undo.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, oldest first.
    pub fn as_slice(&self) -> &[UndoEntry<S>] {
        &self.0
    }
}
