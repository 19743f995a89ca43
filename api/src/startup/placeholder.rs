//! What the port serves while the store is not reachable yet: the process is alive
//! (`/healthz` 200) but not ready (`/readyz` 503), and every other request is told to
//! come back later (503 `unavailable` with `Retry-After`). So a client never meets a
//! port that is bound but silent.

use std::io;
use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use actix_web::http::KeepAlive;
use actix_web::rt::task::JoinHandle;
use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::json;

use crate::problem::ApiError;
use crate::routes::health;

/// How long the placeholder may take to finish the requests it holds when the app takes
/// over; its answers are immediate, so this only bounds a slow client.
const HANDOVER_GRACE_SECS: u64 = 2;

/// The placeholder server, running until the app takes over or a signal stops it.
pub struct Placeholder {
    handle: ServerHandle,
    stopped: JoinHandle<io::Result<()>>,
}

impl Placeholder {
    /// Serves the placeholder on `listener`: a clone of the socket the app will serve
    /// later, so that connections queued during the handover wait for the app instead of
    /// being refused. Keep-alive is off, so no client stays on the placeholder.
    pub fn serve(listener: TcpListener) -> io::Result<Placeholder> {
        let server = HttpServer::new(|| {
            App::new()
                .route("/healthz", web::get().to(health::healthz))
                .route("/readyz", web::get().to(not_ready))
                .default_service(web::to(unavailable))
        })
        .workers(1)
        .keep_alive(KeepAlive::Disabled)
        .shutdown_timeout(HANDOVER_GRACE_SECS)
        .listen(listener)?
        .run();
        let handle = server.handle();
        let stopped = actix_web::rt::spawn(server);
        Ok(Placeholder { handle, stopped })
    }

    /// Resolves when the placeholder stopped by itself: a shutdown signal came during
    /// start-up, so the process should end instead of serving.
    pub async fn stopped(&mut self) {
        let _ = (&mut self.stopped).await;
    }

    /// Stops taking connections and finishes the ones it holds; the app, listening on the
    /// same socket, takes every connection from then on.
    pub async fn hand_over(self) {
        self.handle.stop(true).await;
    }
}

async fn not_ready() -> HttpResponse {
    HttpResponse::ServiceUnavailable().json(json!({ "status": "starting" }))
}

async fn unavailable() -> Result<HttpResponse, ApiError> {
    Err(ApiError::Unavailable)
}
