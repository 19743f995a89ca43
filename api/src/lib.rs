//! The HTTP API of Onboard (actix-web) and the composition root of the `onboard` binary.

pub mod address_limit;
pub mod app;
pub mod auth;
pub mod body;
pub mod cli;
pub mod idempotency;
pub mod layers;
pub mod openapi;
pub mod otlp;
pub mod problem;
pub mod rekey;
pub mod routes;
#[cfg(feature = "sandbox")]
pub mod sandbox_server;
pub mod secrets;
pub mod serve;
pub mod settings;
pub mod startup;
pub mod telemetry;
#[cfg(test)]
mod test_logs;
pub mod traceparent;
