//! `onboard serve`: the command line and its variables on top of the settings, the
//! production guard, then the [`Application`].

use onboard_config::Settings;

use crate::cli::ServeArgs;
use crate::otlp::SpanExport;
use crate::startup::guard;
use crate::startup::hmac_pin::KeyChange;
use crate::startup::{replica_id, Application};

/// Runs the orchestrator until SIGINT or SIGTERM. Settings holding a public sandbox value
/// without the sandbox in use are refused before the port is bound.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = settings(&args)?;
    guard::refuse_public_values(&settings)?;
    let change = match args.replace_hmac_key {
        true => KeyChange::Replace,
        false => KeyChange::Refuse,
    };
    Application::build(settings)?
        .hmac_key_change(change)
        .run_until_stopped()
        .await
}

/// Where `serve` exports spans, if anywhere: read before logging is installed, so a
/// setting that does not load asks for nothing here and is reported by [`run`].
pub fn span_export(args: &ServeArgs) -> Option<SpanExport> {
    let settings = settings(args).ok()?;
    SpanExport::asked(
        &settings.otel.endpoint,
        &replica_id(&settings.server.replica_id),
    )
}

/// The settings with the callers file and the command line's flags (and their variables)
/// on top.
fn settings(args: &ServeArgs) -> anyhow::Result<Settings> {
    let mut settings =
        Settings::load_with_callers(args.config.as_deref(), args.callers_file.as_deref())?;
    if let Some(listen) = &args.listen {
        settings.server.listen = listen.clone();
    }
    if let Some(dir) = &args.data_dir {
        settings.store.data_dir = dir.clone();
    }
    if let Some(url) = &args.redis_url {
        settings.store.redis_url = url.clone();
    }
    if let Some(replica) = &args.replica_id {
        settings.server.replica_id = replica.clone();
    }
    if let Some(url) = &args.sandbox_url {
        settings.sandbox.url = url.clone();
    }
    settings.validate()?;
    Ok(settings)
}
