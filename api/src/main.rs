//! The `onboard` binary: `onboard serve`, `onboard rekey` and `onboard sandbox`.

use clap::Parser;
use mimalloc::MiMalloc;
use onboard_api::cli::{Cli, Command};
#[cfg(feature = "sandbox")]
use onboard_api::sandbox_server;
use onboard_api::{rekey, serve, telemetry};

/// mimalloc instead of the system allocator: with hundreds of sagas in flight, glibc's
/// malloc and free took a fifth of the orchestrator's CPU (BENCHMARKS.md).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let result = run(cli).await;
    if let Err(error) = &result {
        tracing::error!(error = %format!("{error:#}"), "onboard stopped");
    }
    result
}

/// Installs logging (and the span exporter `serve` may ask for), then runs the command;
/// the spans still queued are exported when it returns.
async fn run(cli: Cli) -> anyhow::Result<()> {
    let export = match &cli.command {
        Command::Serve(args) => serve::span_export(args),
        Command::Rekey(_) => None,
        #[cfg(feature = "sandbox")]
        Command::Sandbox(_) => None,
    };
    let _telemetry = telemetry::init(export)?;
    telemetry::install_panic_hook();
    match cli.command {
        Command::Serve(args) => serve::run(args).await,
        Command::Rekey(args) => rekey::run(args).await,
        #[cfg(feature = "sandbox")]
        Command::Sandbox(args) => sandbox_server::run(args).await,
    }
}
