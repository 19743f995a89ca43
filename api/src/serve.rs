//! `onboard serve`: the composition root. Loads the settings, opens the store, the
//! sandbox and the runtime, and serves the API until a signal stops it.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{middleware, web, App, HttpServer};
use anyhow::Context as _;
use base64::Engine as _;
use onboard_actors::parties::{Backoff, HttpParties};
use onboard_actors::seal::Sealer;
use onboard_actors::store::{EmbeddedStore, RedisStore, SagaStore};
use onboard_actors::{Engine, EngineParts};
use onboard_config::Settings;
use onboard_sandbox::Sandbox;

use crate::attempt_limit::CardRefusals;
use crate::auth::Callers;
use crate::cli::ServeArgs;
use crate::idempotency::Idempotency;
use crate::real_name_gate::RealNameGate;
use crate::settings::SagaParams;
use crate::{app, layers};

/// Runs the orchestrator until SIGINT or SIGTERM.
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = settings(&args)?;
    let listener = TcpListener::bind(&settings.server.listen)
        .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
    let local = listener.local_addr()?;
    let store = open_store(&settings).await?;
    let sandbox = if settings.sandbox.enabled && settings.sandbox.url.is_empty() {
        std::fs::create_dir_all(&settings.store.data_dir)?;
        Some(Sandbox::open(
            &settings.store.data_dir.join("sandbox.redb"),
        )?)
    } else {
        None
    };
    let parties_url = if !settings.sandbox.url.is_empty() {
        sandbox_base(&settings.sandbox.url)
    } else if sandbox.is_some() {
        let host = if local.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            local.ip().to_string()
        };
        format!(
            "http://{}/sandbox",
            std::net::SocketAddr::new(host.parse()?, local.port())
        )
    } else {
        anyhow::bail!("no parties: enable the sandbox or set sandbox.url");
    };
    let sealer = Sealer::from_base64(&settings.security.data_key)?;
    let mac_key = base64::engine::general_purpose::STANDARD.decode(&settings.security.data_key)?;
    let connectors = &settings.connectors;
    let parties = HttpParties::new(&parties_url, Duration::from_millis(connectors.timeout_ms))?;
    let gate = web::Data::new(RealNameGate::new(parties.clone(), store.clone()));
    let card_refusals = web::Data::new(CardRefusals::new(store.clone()));
    let engine = Engine::start(EngineParts {
        store: store.clone(),
        sealer,
        parties,
        backoff: Backoff {
            initial: Duration::from_millis(connectors.retry_initial_ms),
            max: Duration::from_millis(connectors.retry_max_ms),
        },
        timer_poll: Duration::from_millis(settings.timers.poll_interval_ms),
        actor_threads: settings.server.actor_threads,
    });
    let engine = web::Data::new(engine);
    let callers = web::Data::new(Callers::new(&settings.callers, &settings.rate_limit)?);
    let idempotency = web::Data::new(Idempotency::new(
        store,
        mac_key,
        settings.security.idempotency_ttl_secs,
    ));
    let params = web::Data::new(SagaParams {
        security_prompt_ttl_secs: settings.sagas.security_prompt_ttl_secs,
        savings_binding_ttl_secs: settings.sagas.savings_binding_ttl_secs,
    });
    tracing::info!(
        listen = %local,
        store = if settings.store.redis_url.is_empty() { "embedded" } else { "redis" },
        sandbox = sandbox.is_some(),
        "onboard serving"
    );
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
            .configure(app::configure);
        if let Some(sandbox) = &sandbox {
            app = app.service(sandbox.service());
        }
        app.default_service(web::to(app::not_found))
    })
    .listen(listener)?;
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    server.run().await?;
    Ok(())
}

/// The settings with the command line's flags (and their variables) on top.
fn settings(args: &ServeArgs) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(args.config.as_deref())?;
    if let Some(listen) = &args.listen {
        settings.server.listen = listen.clone();
    }
    if let Some(dir) = &args.data_dir {
        settings.store.data_dir = dir.clone();
    }
    if let Some(url) = &args.redis_url {
        settings.store.redis_url = url.clone();
    }
    if let Some(url) = &args.sandbox_url {
        settings.sandbox.url = url.clone();
    }
    settings.validate()?;
    Ok(settings)
}

async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn SagaStore>> {
    if settings.store.redis_url.is_empty() {
        let dir: &Path = &settings.store.data_dir;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        Ok(Arc::new(EmbeddedStore::open(&dir.join("onboard.redb"))?))
    } else {
        Ok(Arc::new(
            RedisStore::connect(&settings.store.redis_url, &settings.store.key_prefix).await?,
        ))
    }
}

/// The parties' base URL of a sandbox given by its server URL.
fn sandbox_base(url: &str) -> String {
    let url = url.trim_end_matches('/');
    if url.ends_with("/sandbox") {
        url.to_owned()
    } else {
        format!("{url}/sandbox")
    }
}
