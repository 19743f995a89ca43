//! Test support for the end-to-end suite: it starts the real `onboard` binary
//! (against real Redis, or its embedded store), talks to it over HTTP and
//! inspects what the sandbox parties and the store hold afterwards.
//!
//! Environment knobs:
//! - `ONBOARD_TEST_REDIS_URL`: the Redis the tests use (default `redis://127.0.0.1:6379`);
//! - `ONBOARD_TEST_BIN`: a prebuilt `onboard` binary, instead of building it;
//! - `ONBOARD_TEST_KEEP=1`: keep every test's temporary directory (logs, data).

#![warn(missing_docs)]

pub mod harness;

pub use harness::*;
