//! End-to-end tests of the payment-account registration saga (seed 001), of credit
//! applications (seed 004), of pairing codes (seed 002) and of accounts and tickets
//! (seed 003), through the real `onboard` binary against real Redis.

mod chaos;
mod cluster;
mod cluster_sweeps;
mod crash;
mod credit;
mod flows;
mod hygiene;
mod idempotency;
mod ids;
mod in_process;
mod operators;
mod pairing;
mod party_answers;
mod personal_data;
mod readme;
mod redis_outage;
mod redis_restart;
mod registration;
mod rekey;
mod replicas;
mod restart;
mod retention;
mod stuck_party;
mod tickets;
mod validation;
