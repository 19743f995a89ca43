//! The durable state of one saga: its definition's data plus the shared machinery's.

use super::phase::Phase;
use super::undo_stack::{UndoEntry, UndoStack};
use crate::saga::{Definition, RequestOf, SagaError, StepLog};
use serde::{Deserialize, Serialize};

/// A saga: a [`Definition`]'s data driven by the shared machinery. It implements
/// [`Saga`](crate::saga::Saga); the transition table is in `transitions.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Kit<D: Definition> {
    /// What the saga was started with; every step's call reads it.
    pub(super) request: RequestOf<D>,
    /// What the definition learns on the way (ids, result fields).
    pub(super) definition: D,
    /// Where the saga stands.
    pub(super) phase: Phase<D::Step, D::Wait>,
    /// The undos of the effects that may have been applied, newest last.
    pub(super) undo: UndoStack<D::Step>,
    /// The step history API.md reports.
    pub(super) steps: StepLog,
    /// Why the saga did not complete.
    pub(super) error: Option<SagaError>,
}

impl<D: Definition> Kit<D> {
    /// A saga started with `request` whose next action is `first`.
    pub fn new(request: RequestOf<D>, definition: D, first: D::Step) -> Self {
        let mut undo = UndoStack::new();
        undo.register(&first);
        Self {
            request,
            definition,
            phase: Phase::Running { step: first },
            undo,
            steps: StepLog::default(),
            error: None,
        }
    }

    /// What the saga was started with.
    pub fn request(&self) -> &RequestOf<D> {
        &self.request
    }

    /// What the definition learnt on the way.
    pub fn definition(&self) -> &D {
        &self.definition
    }

    /// The result the definition reports at the saga's current status.
    pub fn result(&self) -> Option<D::Result> {
        self.definition.result(self.phase.status())
    }

    /// Where the saga stands.
    pub fn phase(&self) -> &Phase<D::Step, D::Wait> {
        &self.phase
    }

    /// The undos of the effects that may have been applied, oldest first: the top (last)
    /// entry is undone first, and is in doubt while it has no readable reply.
    pub fn undo_stack(&self) -> &[UndoEntry<D::Step>] {
        self.undo.as_slice()
    }
}
