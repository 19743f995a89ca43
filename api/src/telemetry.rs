//! Logging: one JSON object per line on stdout, filtered by `RUST_LOG` (default `info`).
//! Spans carry saga id, kind, step and attempt, so an OpenTelemetry exporter is only
//! another layer on this subscriber.

use tracing_subscriber::EnvFilter;

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
