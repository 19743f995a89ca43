//! The runtime that drives sagas: durable store, connectors to the parties, and actix actors.

pub mod store;
