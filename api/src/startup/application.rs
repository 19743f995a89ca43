//! The composition root (zero2prod's `startup.rs`): [`Application::build`] binds the
//! socket (port 0 picks a free one) and answers on it at once; [`Application::run_until_stopped`]
//! opens the store, the sandbox and the runtime, and serves the API on the same socket
//! until a signal stops it. Tests start it in process and read its port.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context as _;
use onboard_actors::parties::{Backoff, HttpParties};
use onboard_actors::{Engine, EngineParts, SystemClock};
use onboard_config::Settings;
use onboard_services::{CardRefusals, Idempotency, Pairing, PairingPolicy, RealNameGate};

use crate::auth::Callers;
use crate::secrets;
use crate::settings::SagaParams;
use crate::startup::parties::{self, InProcessSandbox};
use crate::startup::placeholder::Placeholder;
use crate::startup::store::{self, OpenedStore, StoreTarget};
use crate::{app, layers};

/// The orchestrator with its socket bound and a placeholder answering on it.
pub struct Application {
    settings: Settings,
    listener: TcpListener,
    local: SocketAddr,
    placeholder: Placeholder,
}

impl Application {
    /// Binds `settings.server.listen` and answers on it at once (a placeholder until the
    /// store is reachable). Logs the bound address, so that a caller who asked for port 0
    /// can read the port.
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.server.listen)
            .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
        let local = listener.local_addr()?;
        let placeholder = Placeholder::serve(listener.try_clone()?)?;
        tracing::info!(listen = %local, "listening");
        Ok(Application {
            settings,
            listener,
            local,
            placeholder,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.local.port()
    }

    /// Serves until SIGINT or SIGTERM: waits for the store, then the app takes the socket
    /// over from the placeholder.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let Application {
            settings,
            listener,
            local,
            mut placeholder,
        } = self;
        let opened = tokio::select! {
            opened = store::open(&settings.store) => opened?,
            () = placeholder.stopped() => {
                tracing::info!("stopped before the store was reachable");
                return Ok(());
            }
        };
        let stores = opened.stores.clone();
        let sandbox = InProcessSandbox::open(&settings)?;
        let parties_url = parties::base_url(&settings, local, sandbox.is_some())?;
        let sealer = secrets::sealer(&settings.security)?;
        let hmac_key = secrets::hmac_key(&settings.security)?;
        let connectors = &settings.connectors;
        let parties = HttpParties::new(&parties_url, Duration::from_millis(connectors.timeout_ms))?;
        let gate = web::Data::new(RealNameGate::new(parties.clone(), stores.attempts.clone()));
        let card_refusals = web::Data::new(CardRefusals::new(stores.attempts.clone()));
        let pairing = web::Data::new(Pairing::new(
            parties.clone(),
            stores.pairing.clone(),
            stores.attempts.clone(),
            PairingPolicy {
                radius_m: settings.pairing.radius_m,
                ttl_secs: settings.pairing.ttl_secs,
            },
        ));
        let engine = Engine::start(EngineParts {
            sagas: stores.sagas,
            indexes: stores.indexes,
            sealer,
            parties,
            backoff: Backoff {
                initial: Duration::from_millis(connectors.retry_initial_ms),
                max: Duration::from_millis(connectors.retry_max_ms),
            },
            timer_poll: Duration::from_millis(settings.timers.poll_interval_ms),
            actor_threads: settings.server.actor_threads,
            clock: Arc::new(SystemClock),
        });
        engine.resume(opened.running.clone());
        let engine = web::Data::new(engine);
        let callers = web::Data::new(Callers::new(&settings.callers, &settings.rate_limit)?);
        let idempotency = web::Data::new(Idempotency::new(
            stores.idempotency,
            hmac_key,
            settings.security.idempotency_ttl_secs,
        ));
        let params = web::Data::new(SagaParams {
            security_prompt_ttl_secs: settings.sagas.security_prompt_ttl_secs,
            savings_binding_ttl_secs: settings.sagas.savings_binding_ttl_secs,
        });
        let with_sandbox = sandbox.is_some();
        let mut server = HttpServer::new(move || {
            let mut app = App::new()
                .wrap(middleware::from_fn(layers::catch_panics))
                .wrap(middleware::from_fn(layers::refuse_unknown_codings))
                .wrap(middleware::from_fn(layers::framework_errors_as_problems))
                .wrap(middleware::from_fn(app::access_log))
                .app_data(engine.clone())
                .app_data(callers.clone())
                .app_data(idempotency.clone())
                .app_data(params.clone())
                .app_data(gate.clone())
                .app_data(card_refusals.clone())
                .app_data(pairing.clone())
                .configure(app::configure);
            if let Some(sandbox) = &sandbox {
                app = app.configure(|cfg| sandbox.configure(cfg));
            }
            app.default_service(web::to(app::not_found))
        })
        .listen(listener)?;
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server.run();
        log_serving(&local, &settings, &opened, with_sandbox);
        let (served, ()) = tokio::join!(server, placeholder.hand_over());
        served?;
        Ok(())
    }
}

/// The one line that says the app serves: where, on which store, and what it found there.
fn log_serving(local: &SocketAddr, settings: &Settings, opened: &OpenedStore, sandbox: bool) {
    let key_prefix = settings.store.key_prefix.as_str();
    let (running_to_resume, parked) = (opened.running.len(), opened.parked);
    match &opened.target {
        StoreTarget::Embedded { path } => tracing::info!(
            listen = %local,
            store = "embedded",
            path = %path.display(),
            key_prefix,
            running_to_resume,
            parked,
            sandbox,
            "onboard serving"
        ),
        StoreTarget::Redis(target) => tracing::info!(
            listen = %local,
            store = "redis",
            host = %target.host,
            port = target.port,
            db = target.db,
            key_prefix,
            running_to_resume,
            parked,
            sandbox,
            "onboard serving"
        ),
    }
}
