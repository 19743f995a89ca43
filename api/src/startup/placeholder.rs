//! What the port serves while the store is not reachable yet: the process is alive
//! (`/healthz` 200) but not ready (`/readyz` 503), and every other request is told to
//! come back later (503 `unavailable` with `Retry-After`). So a client never meets a
//! port that is bound but silent.
//!
//! The placeholder accepts on a thread of its own, so that it answers while start-up blocks
//! the main thread (opening a store file), and it is not a second actix server: stopping
//! one drops the connections it accepted but had not yet handed to a worker, which turned
//! requests arriving at the handover into resets. Here the handover only stops the
//! accepting, which leaves every connection either taken (and answered before the thread
//! ends) or still queued on the socket for the app.

use std::io;
use std::net::TcpListener as StdListener;
use std::rc::Rc;
use std::thread::JoinHandle;

use actix_http::{HttpService, KeepAlive, Method, Request, Response};
use actix_web::body::BoxBody;
use actix_web::dev::{fn_service, Service, ServiceFactory};
use actix_web::rt::net::{TcpListener, TcpStream};
use actix_web::rt::System;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use tokio::sync::oneshot;

use crate::problem::ApiError;
use crate::routes::health;

/// How long to wait before accepting again after the system refused a connection (for
/// example out of file descriptors), so that the loop does not spin.
const ACCEPT_BACKOFF: std::time::Duration = std::time::Duration::from_millis(50);

/// The placeholder, accepting on its thread until the app takes over.
pub struct Placeholder {
    stop: oneshot::Sender<()>,
    thread: JoinHandle<()>,
}

impl Placeholder {
    /// Accepts on `listener`, a clone of the socket the app will serve later, so that
    /// connections queued during the handover wait for the app instead of being refused.
    /// Keep-alive is off, so no client stays on the placeholder.
    pub fn serve(listener: StdListener) -> io::Result<Placeholder> {
        listener.set_nonblocking(true)?;
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("placeholder".into())
            .spawn(move || System::new().block_on(accept_until(listener, stopped)))?;
        Ok(Placeholder { stop, thread })
    }

    /// Stops accepting; the app, listening on the same socket, takes every connection
    /// from then on. Resolves once the connections the placeholder took are answered.
    pub async fn hand_over(self) {
        let _ = self.stop.send(());
        let thread = self.thread;
        let _ = actix_web::rt::task::spawn_blocking(move || thread.join()).await;
    }
}

/// Answers each connection once, until `stopped` (or its sender is dropped), then waits
/// for the answers in flight. `accept` is cancel-safe: a connection is either returned or
/// left on the socket.
async fn accept_until(listener: StdListener, mut stopped: oneshot::Receiver<()>) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, "the start-up placeholder could not listen");
            return;
        }
    };
    let http = HttpService::<TcpStream, _, _>::build()
        .keep_alive(KeepAlive::Disabled)
        .finish(fn_service(answer))
        .tcp();
    let service = match http.new_service(()).await {
        Ok(service) => Rc::new(service),
        Err(()) => {
            tracing::error!("the start-up placeholder could not be built");
            return;
        }
    };
    let mut answering = Vec::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let service = Rc::clone(&service);
                    answering.retain(|answer: &actix_web::rt::task::JoinHandle<()>| {
                        !answer.is_finished()
                    });
                    answering.push(actix_web::rt::spawn(async move {
                        let _ = service.call(stream).await;
                    }));
                }
                Err(error) => {
                    tracing::warn!(%error, "the start-up placeholder could not accept");
                    actix_web::rt::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
    drop(listener);
    for answer in answering {
        let _ = answer.await;
    }
}

/// The placeholder's one answer per path.
async fn answer(request: Request) -> Result<Response<BoxBody>, actix_web::Error> {
    let get = request.method() == Method::GET;
    let response = match request.path() {
        "/healthz" if get => health::healthz().await,
        "/readyz" if get => {
            HttpResponse::ServiceUnavailable().json(json!({ "status": "starting" }))
        }
        _ => ApiError::Unavailable.error_response(),
    };
    Ok(response.into())
}
