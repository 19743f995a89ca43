//! `onboard sandbox`: the simulated bank and wallet alone, with `/healthz`.

use actix_web::{middleware, web, App, HttpResponse, HttpServer};
use anyhow::Context as _;
use onboard_sandbox::Sandbox;

use crate::cli::SandboxArgs;
use crate::layers;

/// Serves the sandbox parties until SIGINT or SIGTERM.
pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create data directory {}", args.data_dir.display()))?;
    let sandbox = Sandbox::open(&args.data_dir.join("sandbox.redb"))?;
    tracing::info!(listen = %args.listen, "sandbox serving");
    HttpServer::new(move || {
        App::new()
            .wrap(middleware::from_fn(layers::catch_panics))
            .route(
                "/healthz",
                web::get()
                    .to(|| async { HttpResponse::Ok().json(serde_json::json!({"status": "ok"})) }),
            )
            .route(
                "/readyz",
                web::get().to(|| async {
                    HttpResponse::Ok().json(serde_json::json!({"status": "ready"}))
                }),
            )
            .service(sandbox.service())
    })
    .bind(&args.listen)
    .with_context(|| format!("cannot listen on {}", args.listen))?
    .run()
    .await?;
    Ok(())
}
