//! Middleware every request of the binary passes through, innermost first: a handler's
//! panic becomes a 500 (the access log, in `app`, wraps it).

mod panics;

pub use panics::catch_panics;
