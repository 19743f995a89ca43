//! The HTTP routes, one file per resource.

pub mod accounts;
pub mod admin;
pub mod credit_applications;
pub mod health;
pub mod links;
pub mod onboardings;
pub mod pairing_codes;
pub mod security_prompts;
pub mod service_requests;
mod start;
pub mod tickets;
pub mod virtual_accounts;
mod wait;
