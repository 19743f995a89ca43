//! Start-up of `onboard serve`: the settings pass the production guard before anything
//! else; then the port is served from the moment it is bound. Until the store is reachable
//! a placeholder answers on it; once the store is open, counted and its HMAC key pin
//! checked, the full app takes over the same socket.

mod application;
pub mod guard;
pub mod hmac_pin;
pub mod parties;
pub mod placeholder;
pub mod store;

pub use application::{replica_id, Application};
