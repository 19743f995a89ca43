//! Logging: one JSON object per line on stdout, filtered by `RUST_LOG` (default `info`).
//! Spans carry saga id, kind, step and attempt, so an OpenTelemetry exporter is only
//! another layer on this subscriber. Panics are logged by where they happened only.

use std::cell::RefCell;
use std::panic::PanicHookInfo;

use tracing_subscriber::EnvFilter;

thread_local! {
    /// Where the last panic on this thread happened, left by the panic hook for the
    /// layer that turns a handler's panic into a 500 (it runs on the same thread).
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the global subscriber.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(false)
        .with_env_filter(filter)
        .with_writer(std::io::stdout)
        .init();
}

/// Replaces the default panic hook, which prints the panic's message to stderr, with one
/// that logs where the panic happened and nothing else: a message can quote a submitted
/// value (slicing an id number inside a character quoted the whole number).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(log_panic));
}

fn log_panic(info: &PanicHookInfo<'_>) {
    let location = info.location().map_or_else(
        || "unknown".to_owned(),
        |at| format!("{}:{}:{}", at.file(), at.line(), at.column()),
    );
    let thread = std::thread::current();
    tracing::error!(
        location = %location,
        thread = thread.name().unwrap_or("unnamed"),
        "panic"
    );
    PANIC_LOCATION.with(|last| *last.borrow_mut() = Some(location));
}

/// Where the last panic on this thread happened, if the hook saw one; taken, so that a
/// later panic is not reported at an earlier one's place.
pub fn take_panic_location() -> Option<String> {
    PANIC_LOCATION.with(|last| last.borrow_mut().take())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_logs::capture;

    #[test]
    fn the_hook_logs_the_location_and_never_the_message() {
        let previous = std::panic::take_hook();
        install_panic_hook();
        let logs = capture(|| {
            let outcome = std::panic::catch_unwind(|| panic!("id number 110101199003074514"));
            assert!(outcome.is_err());
        });
        std::panic::set_hook(previous);
        let location = take_panic_location().expect("the hook records the location");
        assert!(location.starts_with(file!()), "{location}");
        assert!(logs.contains(&location), "{logs}");
        assert!(!logs.contains("110101199003074514"), "{logs}");
        assert_eq!(take_panic_location(), None);
    }
}
