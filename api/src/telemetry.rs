//! Logging: one JSON object per line on stdout, filtered by `RUST_LOG` (default `info`).
//! Spans carry saga id, kind, step and attempt, so the OpenTelemetry exporter is only
//! another layer on this subscriber, installed when an endpoint is configured (and not at
//! all otherwise). Panics are logged by where they happened only.

use std::cell::RefCell;
use std::panic::PanicHookInfo;

use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{EnvFilter, Layer as _};

use crate::otlp::{Exporter, OtlpError, SpanExport};

thread_local! {
    /// Where the last panic on this thread happened, left by the panic hook for the
    /// layer that turns a handler's panic into a 500 (it runs on the same thread).
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The installed telemetry; dropping it exports the spans still queued.
#[derive(Debug)]
pub struct Telemetry {
    exporter: Option<Exporter>,
}

impl Drop for Telemetry {
    fn drop(&mut self) {
        if let Some(exporter) = &self.exporter {
            exporter.shutdown();
        }
    }
}

/// Installs the global subscriber: the JSON logs, and the span exporter's layer when
/// `export` asks for one. An exporter that cannot be built is refused after the logs are
/// installed, so that the refusal is logged.
pub fn init(export: Option<SpanExport>) -> Result<Telemetry, OtlpError> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(std::io::stdout)
        .with_filter(filter);
    let exporter = export.as_ref().map(SpanExport::start).transpose();
    let registry = tracing_subscriber::registry().with(logs);
    match &exporter {
        Ok(Some(exporter)) => {
            registry.with(exporter.layer()).init();
            onboard_actors::traces::enable();
        }
        Ok(None) | Err(_) => registry.init(),
    }
    exporter.map(|exporter| Telemetry { exporter })
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
