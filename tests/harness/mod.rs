//! The pieces of the harness; everything is re-exported at the crate root.

mod binary;
mod client;
mod credit;
mod credit_fixtures;
mod data;
mod env;
mod ledger;
mod otlp;
mod private_cluster;
mod private_redis;
mod process;
mod readme;
mod redis_probe;
mod sandbox;

pub use binary::onboard_binary;
pub use client::{
    is_final, Api, Reply, BANK_KEY, MERCHANT2_KEY, MERCHANT_KEY, OPERATOR_KEY, WALLET2_KEY,
    WALLET_KEY,
};
pub use credit::{credit_application_body, history, id_suffix, CREDIT_APPLICATIONS};
pub use data::{card_number, id_number, luhn_check_digit, onboarding_body, person, Person};
pub use env::{redis_url, TestEnv, TestEnvBuilder};
pub use ledger::{counts, Effect, Ledger};
pub use otlp::{OtlpReceiver, ReceivedSpan};
pub use private_cluster::PrivateCluster;
pub use private_redis::PrivateRedis;
pub use process::{free_port, OnboardProcess, ProcessSpec};
pub use readme::{first_missing, walkthroughs, Walkthrough};
pub use redis_probe::RedisProbe;
pub use sandbox::{account, binding, SandboxClient};
