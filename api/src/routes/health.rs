//! Liveness, readiness and metrics for orchestrators such as Kubernetes.

use actix_web::{web, HttpResponse};
use onboard_actors::Engine;
use serde_json::json;

/// 200 while the process lives.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// 200 only while the store answers and the process is not draining for shutdown.
pub async fn readyz(engine: web::Data<Engine>) -> HttpResponse {
    if engine.draining() {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "draining" }))
    } else if engine.ready().await {
        HttpResponse::Ok().json(json!({ "status": "ready" }))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "store unavailable" }))
    }
}

/// The runtime's counters in the Prometheus text format.
pub async fn metrics(engine: web::Data<Engine>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(engine.metrics_text().await)
}
