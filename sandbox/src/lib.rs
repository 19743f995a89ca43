//! Simulated bank and wallet (payment-app) servers on real HTTP.
//!
//! Like a payment provider's test mode, the sandbox honours idempotency keys,
//! keeps a ledger of every effect it applied (so tests can prove that nothing was
//! done twice and nothing was left half-done), injects faults on demand and
//! offers fixture endpoints. Its state survives a kill -9 of the process.

mod bank;
mod bank_routes;
mod credit_limit;
mod error;
mod faults;
mod fixtures;
mod history;
mod idempotency;
mod ids;
mod journal;
mod ledger;
mod masking;
mod money;
mod openapi;
mod operation;
mod persistence;
mod pipeline;
mod replies;
mod sandbox;
mod state;
mod validate;
mod wallet;
mod wallet_charge_routes;
mod wallet_credit_routes;
mod wallet_routes;

pub use error::SandboxError;
pub use openapi::SandboxDoc;
pub use sandbox::Sandbox;
