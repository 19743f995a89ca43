//! A handler's panic becomes a 500 problem: the client gets an answer, the connection and
//! the worker survive, and the log names the route and where it broke, never the values.

use std::panic::AssertUnwindSafe;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures::FutureExt;

use crate::app::RoutePattern;
use crate::problem::ApiError;
use crate::telemetry;

/// Answers 500 `internal` for a request whose handling panicked, logging its method,
/// route pattern and the panic's location; the panic's message is dropped unread, since
/// it may quote what the client sent. The answer is an error rather than a response
/// because the request went down with the panic (and could not be cloned before: routing
/// needs it unshared); the server renders it as the problem, and the access log, wrapped
/// outside this layer, still logs it.
pub async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let method = req.method().clone();
    let route = RoutePattern::of(&req).0;
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(response) => response,
        Err(_unread_message) => {
            let location = telemetry::take_panic_location();
            tracing::error!(
                method = %method,
                route = &*route,
                location = location.as_deref().unwrap_or("unknown"),
                "handler panicked"
            );
            Err(ApiError::Internal.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use actix_web::dev::Service;
    use actix_web::middleware::from_fn;
    use actix_web::test::{self, TestRequest};
    use actix_web::{web, App, HttpResponse};
    use serde_json::Value;

    use super::*;
    use crate::app::access_log;
    use crate::test_logs::Logs;

    const SECRET: &str = "110101199003074514";

    async fn boom() -> HttpResponse {
        panic!("id number {SECRET}");
    }

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_and_the_server_keeps_answering() {
        let (logs, _guard) = Logs::record();
        let app = test::init_service(
            App::new()
                .wrap(from_fn(catch_panics))
                .wrap(from_fn(access_log))
                .route("/boom/{id}", web::post().to(boom))
                .route("/ok", web::get().to(HttpResponse::Ok)),
        )
        .await;
        for _ in 0..2 {
            let request = TestRequest::post()
                .uri(&format!("/boom/{SECRET}"))
                .to_request();
            let error = match app.call(request).await {
                Err(error) => error,
                Ok(response) => panic!("answered {}", response.status()),
            };
            let response = error.error_response();
            assert_eq!(response.status(), 500);
            let content_type = response.headers().get("content-type").unwrap();
            assert_eq!(content_type, "application/problem+json");
            let body = to_bytes(response.into_body()).await.unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["code"], "internal");
            assert!(!body.to_string().contains(SECRET));
        }
        let ok = test::call_service(&app, TestRequest::get().uri("/ok").to_request()).await;
        assert_eq!(ok.status(), 200);

        let logs = logs.text();
        let panics: Vec<&str> = logs
            .lines()
            .filter(|line| line.contains("handler panicked"))
            .collect();
        assert_eq!(panics.len(), 2, "{logs}");
        assert!(panics.iter().all(|line| line.contains("/boom/{id}")
            && line.contains("\"level\":\"ERROR\"")
            && line.contains("POST")));
        let requests = logs
            .lines()
            .filter(|line| line.contains("\"status\":500"))
            .count();
        assert_eq!(requests, 2, "the access log misses a request: {logs}");
        assert!(!logs.contains(SECRET), "{logs}");
    }
}
