//! Middleware every request of the binary passes through, innermost first: a handler's
//! panic becomes a 500, a body in an unknown coding is refused, actix's own error answers
//! are rewritten as problems, and each request is timed (the access log, in `app`, wraps
//! them all). The in-process sandbox's routes also pass [`loopback_only`] unless
//! `sandbox.expose` is set.

mod content_coding;
mod framework_errors;
#[cfg(feature = "sandbox")]
mod loopback;
mod panics;
mod request_durations;

pub use content_coding::refuse_unknown_codings;
pub use framework_errors::framework_errors_as_problems;
#[cfg(feature = "sandbox")]
pub use loopback::loopback_only;
pub use panics::catch_panics;
pub use request_durations::{time_requests, RequestDurations};
