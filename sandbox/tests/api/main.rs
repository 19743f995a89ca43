//! The sandbox over HTTP, as the orchestrator's connectors and the end-to-end
//! tests see it. One binary; each test gets a fresh database file.

mod bank;
mod charge;
mod credit_bank;
mod credit_faults;
mod credit_restart;
mod credit_wallet;
mod faults;
mod helpers;
mod idempotency;
mod restart;
mod wallet;
