//! The machinery every saga shares, written once: the step history, the persisted undo
//! stack, cancel with in-doubt resolution, compensation newest first, a refused undo
//! ending `failed` until an operator retries, illegal events, and the final phases with
//! their status. A saga module supplies only a [`Definition`](super::Definition).

mod phase;
mod state;
mod transitions;
mod undo_stack;

pub use phase::Phase;
pub use state::Kit;
pub use undo_stack::UndoEntry;
