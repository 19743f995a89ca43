//! `onboard sandbox`: the simulated bank and wallet alone, with `/healthz`.

use actix_web::{middleware, web, App, HttpResponse, HttpServer};
use anyhow::Context as _;
use onboard_sandbox::Sandbox;

use crate::cli::SandboxArgs;
use crate::{app, layers};

/// Serves the sandbox parties until SIGINT or SIGTERM.
pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create data directory {}", args.data_dir.display()))?;
    let sandbox = Sandbox::open(&args.data_dir.join("sandbox.redb"))?;
    let server = HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(layers::catch_panics))
            .wrap(middleware::from_fn(layers::refuse_unknown_codings))
            .wrap(middleware::from_fn(layers::framework_errors_as_problems))
            .service(
                web::resource("/healthz")
                    .get(|| async { HttpResponse::Ok().json(serde_json::json!({"status": "ok"})) }),
            )
            .service(
                web::resource("/readyz").get(|| async {
                    HttpResponse::Ok().json(serde_json::json!({"status": "ready"}))
                }),
            )
            .service(sandbox.service())
            .default_service(web::to(app::not_found))
    })
    .bind(&args.listen)
    .with_context(|| format!("cannot listen on {}", args.listen))?;
    for local in server.addrs() {
        tracing::info!(listen = %local, "listening");
    }
    tracing::info!("sandbox serving");
    server.run().await?;
    Ok(())
}
