//! The composition root (zero2prod's `startup.rs`): [`Application::build`] binds the
//! socket (port 0 picks a free one) and answers on it at once; [`Application::run_until_stopped`]
//! opens the store, the sandbox and the runtime, and serves the API on the same socket
//! until a signal stops it. Tests start it in process and read its port.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context as _;
use onboard_actors::parties::{Backoff, HttpParties, PartyGate, PartyLimits};
use onboard_actors::seal::Sealer;
use onboard_actors::store::Stores;
use onboard_actors::{Engine, EngineParts, RetentionPolicy, RetryBudget, SystemClock};
use onboard_config::{PartyLimitSettings, Settings};
use onboard_services::tickets::TicketParams;
use onboard_services::{
    CardRefusals, Idempotency, LinkParams, Links, Pairing, PairingPolicy, RealNameGate, Tickets,
};
use tokio::signal::unix::{signal, SignalKind};

use crate::address_limit::AddressLimiter;
use crate::auth::Callers;
use crate::secrets;
use crate::settings::{PromptOwner, SagaParams};
use crate::startup::hmac_pin::{self, KeyChange};
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
    hmac_key_change: KeyChange,
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
            hmac_key_change: KeyChange::Refuse,
        })
    }

    /// Whether a `security.hmac_key` other than the store's pinned one is refused (the
    /// default) or pinned in its place (`--replace-hmac-key`).
    pub fn hmac_key_change(mut self, change: KeyChange) -> Application {
        self.hmac_key_change = change;
        self
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
            placeholder,
            hmac_key_change,
        } = self;
        // One signal listener for the whole life: a signal during start-up, or between
        // start-up and serving, is not missed.
        let mut stop = Box::pin(shutdown_signal());
        let opened = tokio::select! {
            opened = store::open(&settings.store) => opened?,
            () = &mut stop => {
                tracing::info!("stopped before the store was reachable");
                return Ok(());
            }
        };
        let stores = opened.stores.clone();
        let sealer = secrets::sealer(&settings.security)?;
        let hmac_key = secrets::hmac_key(&settings.security)?;
        hmac_pin::check(stores.key_pins.as_ref(), &hmac_key, hmac_key_change).await?;
        let sandbox = InProcessSandbox::open(&settings)?;
        let parties_url = parties::base_url(&settings, local, sandbox.is_some())?;
        let connectors = &settings.connectors;
        let parties = HttpParties::new(&parties_url, Duration::from_millis(connectors.timeout_ms))?;
        let gate = web::Data::new(RealNameGate::new(parties.clone(), stores.attempts.clone()));
        let card_refusals = web::Data::new(CardRefusals::new(stores.attempts.clone()));
        let tickets = web::Data::new(tickets_service(&settings, &stores, &sealer, &hmac_key));
        let pairing = web::Data::new(Pairing::new(
            parties.clone(),
            stores.pairing.clone(),
            stores.attempts.clone(),
            PairingPolicy {
                radius_m: settings.pairing.radius_m,
                ttl_secs: settings.pairing.ttl_secs,
            },
        ));
        let links = web::Data::new(Links::new(
            stores.links.clone(),
            sealer.clone(),
            hmac_key.clone(),
            LinkParams {
                token_ttl_secs: settings.links.token_ttl_secs,
            },
        ));
        let address_limiter = web::Data::new(AddressLimiter::new(&settings.tickets));
        let retention = stores.retention.clone();
        let engine = Engine::start(EngineParts {
            sagas: stores.sagas,
            indexes: stores.indexes,
            sealer,
            parties: PartyGate::new(
                parties,
                limits(settings.parties.bank),
                limits(settings.parties.wallet.limits()),
            ),
            backoff: Backoff {
                initial: Duration::from_millis(connectors.retry_initial_ms),
                max: Duration::from_millis(connectors.retry_max_ms),
            },
            budget: RetryBudget {
                max_attempts: connectors.max_attempts,
                max_elapsed: Duration::from_secs(connectors.max_elapsed_secs),
            },
            timer_poll: Duration::from_millis(settings.timers.poll_interval_ms),
            actor_threads: settings.server.actor_threads,
            clock: Arc::new(SystemClock),
            leases: stores.leases,
            replica: replica_id(&settings.server.replica_id),
            lease_ttl: Duration::from_millis(settings.leases.ttl_ms),
        });
        engine.wake(opened.running.clone());
        let durations = web::Data::new(layers::RequestDurations::register(engine.metrics())?);
        engine.start_retention(
            retention,
            RetentionPolicy {
                keep_finished: Duration::from_secs(settings.retention.finished_secs),
                sweep_interval: Duration::from_secs(settings.retention.sweep_interval_secs),
            },
        );
        let drained = engine.clone();
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
        let prompt_owner = web::Data::new(PromptOwner::new(&settings.parties.wallet.caller_id));
        let with_sandbox = sandbox.is_some();
        let mut server = HttpServer::new(move || {
            let mut app = App::new()
                .wrap(middleware::from_fn(layers::catch_panics))
                .wrap(middleware::from_fn(layers::refuse_unknown_codings))
                .wrap(middleware::from_fn(layers::framework_errors_as_problems))
                .wrap(middleware::from_fn(layers::time_requests))
                .wrap(middleware::from_fn(app::access_log))
                .app_data(engine.clone())
                .app_data(durations.clone())
                .app_data(callers.clone())
                .app_data(idempotency.clone())
                .app_data(params.clone())
                .app_data(prompt_owner.clone())
                .app_data(gate.clone())
                .app_data(card_refusals.clone())
                .app_data(tickets.clone())
                .app_data(pairing.clone())
                .app_data(links.clone())
                .app_data(address_limiter.clone())
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
        let grace = Duration::from_secs(settings.server.shutdown_grace_secs);
        let server = server
            .disable_signals()
            .shutdown_timeout(grace.as_secs())
            .run();
        actix_web::rt::spawn(drain_on_signal(stop, drained, server.handle(), grace));
        log_serving(&local, &settings, &opened, with_sandbox);
        let (served, ()) = tokio::join!(server, placeholder.hand_over());
        served?;
        Ok(())
    }
}

/// On SIGTERM or SIGINT (`stop`): fail readiness at once, let the party calls in flight
/// finish, then stop the server, which finishes the requests in flight; each within
/// `grace`.
async fn drain_on_signal(
    stop: impl std::future::Future<Output = ()>,
    engine: Engine,
    server: ServerHandle,
    grace: Duration,
) {
    stop.await;
    tracing::info!(grace_secs = grace.as_secs(), "draining");
    let calls_left = engine.drain(grace).await;
    tracing::info!(calls_left, "party calls drained; stopping the server");
    server.stop(true).await;
}

/// Resolves at the first SIGTERM or SIGINT.
async fn shutdown_signal() {
    let terminate = async {
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// The accounts and tickets service, for the apps among the callers.
fn tickets_service(
    settings: &Settings,
    stores: &Stores,
    sealer: &Sealer,
    hmac_key: &[u8],
) -> Tickets {
    let apps = settings
        .callers
        .iter()
        .filter(|caller| caller.role == "app")
        .map(|caller| caller.id.clone())
        .collect();
    let params = TicketParams {
        authorization_ttl_secs: settings.tickets.authorization_ttl_secs,
        refresh_ttl_secs: settings.tickets.refresh_ttl_secs,
        lockout_base_secs: settings.tickets.lockout_base_secs,
        apps,
    };
    Tickets::new(
        stores.tickets.clone(),
        sealer.clone(),
        hmac_key.to_vec(),
        params,
    )
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
            seed_nodes = target.seed_nodes,
            key_prefix,
            running_to_resume,
            parked,
            sandbox,
            "onboard serving"
        ),
    }
}

/// This replica's name: the configured one, else the host name and the process id.
pub fn replica_id(configured: &str) -> String {
    if !configured.is_empty() {
        return configured.to_owned();
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "onboard".to_owned());
    format!("{host}-{}", std::process::id())
}

/// A party's limits as the runtime takes them.
fn limits(settings: PartyLimitSettings) -> PartyLimits {
    PartyLimits {
        max_in_flight: settings.max_in_flight,
        per_second: settings.per_second,
    }
}
