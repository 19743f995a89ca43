//! The route table and the request-level plumbing shared by every route.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers, Next};
use actix_web::{web, HttpResponse, ResponseError};

use crate::openapi;
use crate::problem::ApiError;
use crate::routes::{admin, credit_applications, health, onboardings, security_prompts};

/// The largest request body accepted.
const BODY_LIMIT: usize = 64 * 1024;

/// Registers the API routes and the extractor configuration on an `App`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(BODY_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::Validation {
                field: None,
                detail: format!("query: {error}"),
            }
            .into()
        }))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        .route("/openapi.json", web::get().to(openapi::serve))
        .service(
            web::scope("/v1")
                .route("/onboardings", web::post().to(onboardings::create))
                .route("/onboardings/{id}", web::get().to(onboardings::get))
                .route("/security-prompts", web::get().to(security_prompts::list))
                .route(
                    "/security-prompts/{id}/decision",
                    web::post().to(security_prompts::decide),
                )
                .route(
                    "/credit-applications",
                    web::post().to(credit_applications::create),
                )
                .route(
                    "/credit-applications/{id}",
                    web::get().to(credit_applications::get),
                )
                .route(
                    "/credit-applications/{id}/savings-account",
                    web::post().to(credit_applications::supply_savings_card),
                )
                .route("/admin/workflows", web::get().to(admin::list))
                .route(
                    "/admin/workflows/{id}/cancel",
                    web::post().to(admin::cancel),
                )
                .route("/admin/workflows/{id}/retry", web::post().to(admin::retry)),
        );
}

/// Turns actix's plain-text 413 for an oversized body into a problem: every error the API
/// sends is `application/problem+json`.
pub fn oversized_body_as_problem<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().handler(
        StatusCode::PAYLOAD_TOO_LARGE,
        |response: ServiceResponse<B>| {
            let (request, _) = response.into_parts();
            let problem = ApiError::Validation {
                field: None,
                detail: format!("the body exceeds {} KiB", BODY_LIMIT / 1024),
            }
            .error_response();
            Ok(ErrorHandlerResponse::Response(
                ServiceResponse::new(request, problem).map_into_right_body(),
            ))
        },
    )
}

/// The answer to a path no route matches.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// Logs each request by its route pattern, never its concrete path: paths may carry
/// identifiers (the sandbox's id-number lookups) that must not reach the logs. A request
/// answered by an error of an inner layer (a handler's panic) is logged with its status.
pub async fn access_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "<unmatched>".to_owned());
    let response = next.call(req).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    tracing::info!(
        method = %method,
        route,
        status = status.as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
