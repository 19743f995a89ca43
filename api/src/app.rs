//! The route table and the request-level plumbing shared by every route.

use std::rc::Rc;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};

use crate::openapi;
use crate::problem::ApiError;
use crate::routes::{
    accounts, admin, credit_applications, health, links, onboardings, pairing_codes,
    security_prompts, service_requests, tickets, virtual_accounts,
};

/// The largest request body accepted, after decoding its `Content-Encoding`.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Registers the API routes and the extractor configuration on an `App`. Each path is
/// one resource holding all its methods, so that a method it does not serve is a 405
/// listing the others in `Allow` (`.route(path, …)` guards the whole path by the route's
/// method, so another method fell through to the 404 default).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(BODY_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::Validation {
                field: None,
                detail: format!("query: {error}"),
            }
            .into()
        }))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
        .service(web::resource("/healthz").get(health::healthz))
        .service(web::resource("/readyz").get(health::readyz))
        .service(web::resource("/metrics").get(health::metrics))
        .service(web::resource("/openapi.json").get(openapi::serve))
        .service(
            web::scope("/v1")
                .service(web::resource("/onboardings").post(onboardings::create))
                .service(web::resource("/onboardings/{id}").get(onboardings::get))
                .service(web::resource("/security-prompts").get(security_prompts::list))
                .service(
                    web::resource("/security-prompts/{id}/decision").post(security_prompts::decide),
                )
                .service(web::resource("/credit-applications").post(credit_applications::create))
                .service(web::resource("/credit-applications/{id}").get(credit_applications::get))
                .service(
                    web::resource("/credit-applications/{id}/savings-account")
                        .post(credit_applications::supply_savings_card),
                )
                .service(web::resource("/pairing-codes").post(pairing_codes::create))
                .service(web::resource("/pairing-codes/claim").post(pairing_codes::claim))
                .service(web::resource("/links").post(links::create))
                .service(web::resource("/links/{id}").get(links::get))
                .service(web::resource("/links/{id}/complete").post(links::complete))
                .service(
                    web::resource("/virtual-accounts")
                        .get(virtual_accounts::list)
                        .post(virtual_accounts::exchange),
                )
                .service(web::resource("/virtual-accounts/{id}").delete(virtual_accounts::revoke))
                .service(web::resource("/service-requests").post(service_requests::create))
                .service(web::resource("/service-requests/{id}").get(service_requests::get))
                .service(web::resource("/admin/workflows").get(admin::list))
                .service(
                    web::resource("/admin/workflows/{id}/cancel").post(admin::Operation::Cancel),
                )
                .service(web::resource("/admin/workflows/{id}/retry").post(admin::Operation::Retry))
                .service(web::resource("/admin/workflows/{id}/pause").post(admin::Operation::Pause))
                .service(
                    web::resource("/admin/workflows/{id}/resume").post(admin::Operation::Resume),
                )
                .service(web::resource("/admin/workflows/{id}/history").get(admin::history))
                .service(web::resource("/accounts").post(accounts::create))
                .service(web::resource("/tickets").post(tickets::issue))
                .service(web::resource("/tickets/verify").post(tickets::verify))
                .service(web::resource("/tickets/refresh").post(tickets::refresh))
                .service(web::resource("/tickets/revoke").post(tickets::revoke)),
        );
}

/// The answer to a path no route matches.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

/// The route pattern of a request (e.g. `/v1/onboardings/{id}`), found once by the access
/// log and kept in the request's extensions: matching it walks the route table, so inner
/// layers read it here instead of matching again.
#[derive(Debug, Clone)]
pub struct RoutePattern(pub Rc<str>);

impl RoutePattern {
    /// What a request no route matches is logged under.
    pub const UNMATCHED: &'static str = "<unmatched>";

    /// The request's pattern, as the access log found it, else matched now.
    pub fn of(req: &ServiceRequest) -> RoutePattern {
        req.extensions()
            .get::<RoutePattern>()
            .cloned()
            .unwrap_or_else(|| RoutePattern::matched(req))
    }

    fn matched(req: &ServiceRequest) -> RoutePattern {
        let pattern = req.match_pattern();
        RoutePattern(Rc::from(pattern.as_deref().unwrap_or(Self::UNMATCHED)))
    }
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
    let route = RoutePattern::matched(&req);
    req.extensions_mut().insert(route.clone());
    let route = route.0;
    let response = next.call(req).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    tracing::info!(
        method = %method,
        route = &*route,
        status = status.as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
