//! Bank-initiated payment-account registration with card binding and the payment app's
//! security authentication (seed 001).
//!
//! Forward: look the person up → register an account if none → the bank verifies the card →
//! bind it → ask the wallet's security rule → wait for the security prompt if required.
//! Each effectful step names its undo beside it ([`RegistrationStep`]'s `effect`); the kit
//! registers the undo before the step's call is sent, so compensation closes the account
//! only if this saga opened it.

mod request;
mod state;
mod steps;
mod transitions;

#[cfg(test)]
mod tests;

pub use request::RegistrationRequest;
pub use state::{Registration, RegistrationFlow, RegistrationResult, SecurityPrompt};
pub use steps::{RegistrationStep, RegistrationUndo, SECURITY_AUTHENTICATION};
