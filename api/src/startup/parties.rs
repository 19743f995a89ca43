//! Where the runtime's party calls go: the sandbox served in process (only in a build with
//! the cargo feature `sandbox`, on by default), or the bank and wallet at `sandbox.url`.
//! A production build leaves the sandbox out, so its fixtures, personal-data views and
//! fault injection cannot be served by mistake.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::web;
use onboard_config::Settings;

/// The simulated bank and wallet served under `/sandbox` by this process.
#[cfg(feature = "sandbox")]
#[derive(Clone)]
pub struct InProcessSandbox(onboard_sandbox::Sandbox);

/// Never built: this binary has no sandbox.
#[cfg(not(feature = "sandbox"))]
#[derive(Clone)]
pub enum InProcessSandbox {}

impl InProcessSandbox {
    /// The in-process sandbox the settings ask for (enabled, and no `sandbox.url`), kept
    /// in the data directory.
    #[cfg(feature = "sandbox")]
    pub fn open(settings: &Settings) -> anyhow::Result<Option<InProcessSandbox>> {
        if !(settings.sandbox.enabled && settings.sandbox.url.is_empty()) {
            return Ok(None);
        }
        std::fs::create_dir_all(&settings.store.data_dir)?;
        let path = settings.store.data_dir.join("sandbox.redb");
        Ok(Some(InProcessSandbox(onboard_sandbox::Sandbox::open(
            &path,
        )?)))
    }

    /// Refuses settings that ask for an in-process sandbox this build does not have.
    #[cfg(not(feature = "sandbox"))]
    pub fn open(settings: &Settings) -> anyhow::Result<Option<InProcessSandbox>> {
        anyhow::ensure!(
            !settings.sandbox.enabled,
            "this build has no sandbox (cargo feature `sandbox`): set sandbox.enabled = false \
             and sandbox.url to the parties' address"
        );
        Ok(None)
    }

    /// Mounts the sandbox's routes under `/sandbox`.
    #[cfg(feature = "sandbox")]
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        cfg.service(self.0.service());
    }

    /// Never called: there is no sandbox to mount.
    #[cfg(not(feature = "sandbox"))]
    pub fn configure(&self, _: &mut web::ServiceConfig) {
        match *self {}
    }
}

/// The base URL of the parties: `sandbox.url` when set, else this process's own
/// `/sandbox` when it serves one.
pub fn base_url(
    settings: &Settings,
    local: SocketAddr,
    in_process: bool,
) -> anyhow::Result<String> {
    if !settings.sandbox.url.is_empty() {
        let url = settings.sandbox.url.trim_end_matches('/');
        return Ok(match url.ends_with("/sandbox") {
            true => url.to_owned(),
            false => format!("{url}/sandbox"),
        });
    }
    anyhow::ensure!(
        in_process,
        "no parties: enable the sandbox or set sandbox.url"
    );
    let ip = match local.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    Ok(format!(
        "http://{}/sandbox",
        SocketAddr::new(ip, local.port())
    ))
}
