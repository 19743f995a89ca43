//! Start-up of `onboard serve`: the port is served from the moment it is bound. Until the
//! store is reachable a placeholder answers on it; once the store is open and counted,
//! the full app takes over the same socket.

mod application;
pub mod parties;
pub mod placeholder;
pub mod store;

pub use application::{replica_id, Application};
