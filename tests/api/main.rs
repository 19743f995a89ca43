//! End-to-end tests of the payment-account registration saga (seed 001)
//! through the real `onboard` binary against real Redis.

mod crash;
mod flows;
mod idempotency;
mod personal_data;
mod registration;
mod restart;
mod validation;
