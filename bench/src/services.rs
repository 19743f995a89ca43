//! The processes under test: `onboard serve` and, unless the sandbox runs in process,
//! `onboard sandbox`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::procs::{free_port, Managed};

/// How the orchestrator is started.
pub struct ServiceConfig<'a> {
    /// The `onboard` binary.
    pub onboard: &'a Path,
    /// Redis URL of the store.
    pub redis_url: &'a str,
    /// Key prefix of this run (no braces).
    pub key_prefix: &'a str,
    /// Data and log directory.
    pub dir: &'a Path,
    /// Whether the sandbox parties run inside the orchestrator.
    pub in_process_sandbox: bool,
}

/// A running orchestrator and its sandbox.
pub struct Services {
    /// Base URL of the orchestrator, e.g. `http://127.0.0.1:4000`.
    pub base_url: String,
    /// Base URL under which `/sandbox/…` is served.
    pub sandbox_url: String,
    /// The orchestrator process.
    pub orchestrator: Managed,
    /// The separate sandbox process, if any.
    pub sandbox: Option<Managed>,
}

impl Services {
    /// Starts the sandbox (if separate) and the orchestrator, and waits until both answer.
    pub async fn start(config: &ServiceConfig<'_>) -> anyhow::Result<Services> {
        let http = reqwest::Client::new();
        let mut sandbox = None;
        let mut sandbox_url = None;
        if !config.in_process_sandbox {
            let port = free_port()?;
            let url = format!("http://127.0.0.1:{port}");
            let mut command = Command::new(config.onboard);
            command
                .arg("sandbox")
                .args(["--listen", &format!("127.0.0.1:{port}")])
                .arg("--data-dir")
                .arg(config.dir.join("sandbox"))
                .env("RUST_LOG", "warn")
                .current_dir(config.dir);
            let mut child =
                Managed::spawn("onboard sandbox", command, &config.dir.join("sandbox.log"))?;
            wait_ok(&http, &format!("{url}/healthz"), &mut child).await?;
            sandbox = Some(child);
            sandbox_url = Some(url);
        }
        let (base_url, orchestrator) = replica(config, sandbox_url.as_deref(), "r0").await?;
        Ok(Services {
            sandbox_url: sandbox_url.unwrap_or_else(|| base_url.clone()),
            base_url,
            orchestrator,
            sandbox,
        })
    }

    /// Stops both processes.
    pub fn stop(&mut self) {
        self.orchestrator.stop();
        if let Some(sandbox) = self.sandbox.as_mut() {
            sandbox.stop();
        }
    }
}

/// Starts one `onboard serve` replica named `name` on the run's Redis and key prefix,
/// calling the sandbox at `sandbox_url` (in process when `None`), and waits until it is
/// ready; answers its base URL and process.
pub async fn replica(
    config: &ServiceConfig<'_>,
    sandbox_url: Option<&str>,
    name: &str,
) -> anyhow::Result<(String, Managed)> {
    let port = free_port()?;
    let base_url = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(config.onboard);
    command
        .arg("serve")
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(config.dir.join(format!("orchestrator-{name}")))
        .args(["--redis-url", config.redis_url])
        .args(["--replica-id", name])
        .env("RUST_LOG", "warn")
        .env("ONBOARD_STORE__KEY_PREFIX", config.key_prefix)
        .env("ONBOARD_RATE_LIMIT__PER_SECOND", "1000000")
        .env("ONBOARD_RATE_LIMIT__BURST", "1000000")
        .env("ONBOARD_SAGAS__SECURITY_PROMPT_TTL_SECS", "86400")
        .env("ONBOARD_PAIRING__TTL_SECS", "86400")
        .current_dir(config.dir);
    if let Some(url) = sandbox_url {
        command.args(["--sandbox-url", url]);
    }
    let log = config.dir.join(format!("orchestrator-{name}.log"));
    let mut orchestrator = Managed::spawn(&format!("onboard serve {name}"), command, &log)?;
    let http = reqwest::Client::new();
    wait_ok(&http, &format!("{base_url}/readyz"), &mut orchestrator).await?;
    Ok((base_url, orchestrator))
}

/// Polls `url` until it answers 200, failing if `child` exits or 30 s pass.
async fn wait_ok(http: &reqwest::Client, url: &str, child: &mut Managed) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        child.ensure_running()?;
        let answer = http.get(url).timeout(Duration::from_secs(2)).send().await;
        if matches!(&answer, Ok(response) if response.status().is_success()) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(anyhow::anyhow!("{url} is not ready after 30 s"))
                .context(format!("last answer: {answer:?}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
