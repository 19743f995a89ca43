//! End-to-end tests of the payment-account registration saga (seed 001), of
//! credit applications (seed 004) and of pairing codes (seed 002) through the real
//! `onboard` binary against real Redis.

mod chaos;
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
mod registration;
mod restart;
mod validation;
