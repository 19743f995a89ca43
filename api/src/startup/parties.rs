//! Where the runtime's party calls go: the sandbox served in process (only in a build with
//! the cargo feature `sandbox`, on by default), or the bank and wallet at `sandbox.url`.
//! A production build leaves the sandbox out, so its fixtures, personal-data views and
//! fault injection cannot be served by mistake; a build with it serves them to loopback
//! peers only, unless `sandbox.expose` says otherwise.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::web;
use onboard_config::Settings;

/// Whether the parties are the sandbox (`sandbox.enabled`, in process or at
/// `sandbox.url`) in a build that has it. Otherwise they are real, and the public values
/// of the sandbox configuration must not be used.
pub fn sandbox_in_use(settings: &Settings) -> bool {
    cfg!(feature = "sandbox") && settings.sandbox.enabled
}

/// The simulated bank and wallet served under `/sandbox` by this process.
#[cfg(feature = "sandbox")]
#[derive(Clone)]
pub struct InProcessSandbox {
    sandbox: onboard_sandbox::Sandbox,
    /// Serve any peer (`sandbox.expose`), not only loopback ones.
    expose: bool,
}

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
        Ok(Some(InProcessSandbox {
            sandbox: onboard_sandbox::Sandbox::open(&path)?,
            expose: settings.sandbox.expose,
        }))
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

    /// Mounts the sandbox's routes under `/sandbox`, for loopback peers only unless
    /// exposed.
    #[cfg(feature = "sandbox")]
    pub fn configure(&self, cfg: &mut web::ServiceConfig) {
        let scope = self.sandbox.service();
        if self.expose {
            cfg.service(scope);
        } else {
            cfg.service(scope.wrap(actix_web::middleware::from_fn(crate::layers::loopback_only)));
        }
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

#[cfg(all(test, feature = "sandbox"))]
mod tests {
    use actix_web::test::{call_service, init_service, read_body_json, TestRequest};
    use actix_web::App;

    use super::*;

    async fn ledger_status(expose: bool, peer: &str) -> (u16, Option<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut settings = Settings::load(None).expect("defaults");
        settings.store.data_dir = dir.path().to_path_buf();
        settings.sandbox.expose = expose;
        let sandbox = InProcessSandbox::open(&settings)
            .expect("open")
            .expect("in process");
        let app = init_service(App::new().configure(|cfg| sandbox.configure(cfg))).await;
        let request = TestRequest::get()
            .uri("/sandbox/ledger")
            .peer_addr(peer.parse().expect("socket address"))
            .to_request();
        let response = call_service(&app, request).await;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        if status == 404 {
            let body: serde_json::Value = read_body_json(response).await;
            assert_eq!(body["code"], "not_found", "{body}");
        }
        (status, content_type)
    }

    #[actix_web::test]
    async fn loopback_peers_reach_the_sandbox() {
        for peer in ["127.0.0.1:40000", "127.8.9.10:40000", "[::1]:40000"] {
            assert_eq!(ledger_status(false, peer).await.0, 200, "{peer}");
        }
    }

    #[actix_web::test]
    async fn other_peers_get_404_unless_the_sandbox_is_exposed() {
        for peer in ["10.1.2.3:40000", "192.168.0.7:40000", "[2001:db8::1]:40000"] {
            let (status, content_type) = ledger_status(false, peer).await;
            assert_eq!(status, 404, "{peer}");
            assert_eq!(
                content_type.as_deref(),
                Some("application/problem+json"),
                "{peer}"
            );
            assert_eq!(ledger_status(true, peer).await.0, 200, "{peer}");
        }
    }
}
