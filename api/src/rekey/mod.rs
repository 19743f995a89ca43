//! `onboard rekey`: after a new data key was put first in the configuration (and every
//! replica restarted with it), re-seals every stored sealed value under it, so that the
//! older keys can then be removed. Runs online against Redis while replicas serve: each
//! replacement is a compare-and-set, so a concurrent commit is never overwritten. The
//! embedded store serves one process, so there it runs with the server stopped.

mod walk;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use onboard_actors::store::{
    EmbeddedStore, RedisStore, SealedKind, SealedStore, StoreError, TimedStore,
};
use onboard_config::{Settings, StoreSettings};

use crate::cli::RekeyArgs;
use crate::secrets;
use walk::{rekey_kind, Tally};

/// How often the progress bar redraws while a page is being read.
const TICK: Duration = Duration::from_millis(120);

/// Re-seals every sealed value under the configured current key; prints a summary line,
/// and fails when values are left under older keys.
pub async fn run(args: RekeyArgs) -> anyhow::Result<()> {
    let settings = settings(&args)?;
    let sealer = secrets::sealer(&settings.security)?;
    let store = open(&settings.store).await?;
    let mut summary = Vec::new();
    let mut left = 0;
    for kind in SealedKind::ALL {
        let bar = progress(kind);
        let tally = rekey_kind(store.as_ref(), &sealer, kind, &|n| bar.inc(n)).await;
        bar.finish_and_clear();
        let tally = tally.with_context(|| format!("rekey of {} stopped", kind.as_str()))?;
        left += tally.left;
        summary.push(describe(kind, &tally));
    }
    println!(
        "rekey to key {:?}: {}",
        sealer.current_key_id(),
        summary.join("; ")
    );
    if left > 0 {
        bail!(
            "{left} values are still under an older key: see the warnings above (a value no \
             configured key opens), or run rekey again once every replica seals with the \
             current key"
        );
    }
    Ok(())
}

/// The settings with the flags (and their variables) on top, as `serve` reads them.
fn settings(args: &RekeyArgs) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(args.config.as_deref())?;
    if let Some(dir) = &args.data_dir {
        settings.store.data_dir = dir.clone();
    }
    if let Some(url) = &args.redis_url {
        settings.store.redis_url = url.clone();
    }
    settings.validate()?;
    Ok(settings)
}

/// The sealed values of the store the settings select; one attempt, no waiting.
async fn open(settings: &StoreSettings) -> anyhow::Result<Arc<dyn SealedStore>> {
    let timeout = Duration::from_millis(settings.timeout_ms);
    if settings.redis_url.is_empty() {
        let path = settings.data_dir.join("onboard.redb");
        if !path.exists() {
            bail!("no embedded store at {}", path.display());
        }
        let store = EmbeddedStore::open(&path).map_err(|error| match error {
            StoreError::InUse(_) => anyhow::anyhow!(
                "{error}: the embedded store serves one process, so rekey runs with the \
                 server stopped"
            ),
            other => anyhow::Error::new(other).context("cannot open the embedded store"),
        })?;
        return Ok(Arc::new(TimedStore::new(store, timeout)));
    }
    let connecting = RedisStore::connect(&settings.redis_url, &settings.key_prefix, timeout);
    let redis = tokio::time::timeout(timeout, connecting)
        .await
        .map_err(|_elapsed| StoreError::TimedOut {
            operation: "connect",
            limit_ms: settings.timeout_ms,
        })
        .and_then(|connected| connected)
        .context("cannot reach Redis")?;
    Ok(Arc::new(TimedStore::new(redis, timeout)))
}

/// A counter of the values read, drawn on stdout only when it is a terminal.
fn progress(kind: SealedKind) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
    let style =
        ProgressStyle::with_template("{spinner} {prefix}: {human_pos} read ({per_sec}) {elapsed}")
            .expect("a valid progress template");
    bar.set_style(style);
    bar.set_prefix(kind.as_str());
    bar.enable_steady_tick(TICK);
    bar
}

/// One kind's part of the summary line.
fn describe(kind: SealedKind, tally: &Tally) -> String {
    format!(
        "{} {} resealed, {} already current, {} changed meanwhile, {} unreadable, {} left",
        kind.as_str(),
        tally.resealed,
        tally.current,
        tally.changed,
        tally.unreadable,
        tally.left
    )
}
