//! What the sagas' tests share: parties that honour idempotency keys and track which
//! effects may have been applied, and a driver that feeds a saga the events of a run,
//! checking at every point that its undo stack holds exactly the undos of those effects.

mod clock;
mod driver;
mod ids;
mod parties;

pub(crate) use clock::{t0, tick};
pub(crate) use driver::{a_cancel, refuses_late_events, CallMove, Driver};
pub(crate) use ids::{account, binding, credit_account, prompt};
pub(crate) use parties::{Made, World};
