//! The answers actix builds on its own (405, body errors of its extractors) rewritten as
//! problems, so that every error of the binary is `application/problem+json`.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::http::header::{ALLOW, CONTENT_TYPE};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::body::payload_problem;
use crate::problem::ApiError;

/// Rewrites actix's own error answers as problems: a method the path does not serve
/// (405, keeping `Allow`), and a body that an extractor could not read — too large (413),
/// not JSON by its `Content-Type` (415), not decodable (400). Answers that are problems
/// already, or that a route built, pass unchanged.
pub async fn framework_errors_as_problems(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let response = next.call(req).await?;
    match as_problem(&response) {
        None => Ok(response.map_into_left_body()),
        Some(problem) => {
            let (request, _) = response.into_parts();
            Ok(ServiceResponse::new(request, problem.error_response()).map_into_right_body())
        }
    }
}

fn as_problem<B>(response: &ServiceResponse<B>) -> Option<ApiError> {
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
        return None;
    }
    if let Some(error) = response.response().error() {
        if let Some(error) = error.as_error::<PayloadError>() {
            return Some(payload_problem(error));
        }
        if let Some(error) = error.as_error::<JsonPayloadError>() {
            return json_payload_problem(error);
        }
    }
    (response.status() == StatusCode::METHOD_NOT_ALLOWED).then(|| ApiError::MethodNotAllowed {
        allow: response
            .headers()
            .get(ALLOW)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    })
}

/// The problem for a JSON body that `web::Json` could not read; its own answers to a
/// body that does not deserialize stay with the route that chose them.
fn json_payload_problem(error: &JsonPayloadError) -> Option<ApiError> {
    match error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            Some(payload_problem(&PayloadError::Overflow))
        }
        JsonPayloadError::ContentType => Some(ApiError::UnsupportedMediaType(
            "the body must be sent with Content-Type: application/json".to_owned(),
        )),
        JsonPayloadError::Payload(error) => Some(payload_problem(error)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::test::{self, TestRequest};
    use actix_web::{web, App, HttpResponse};
    use serde_json::Value;

    use super::*;

    async fn echo(body: web::Json<Value>) -> HttpResponse {
        HttpResponse::Ok().json(body.into_inner())
    }

    #[actix_web::test]
    async fn actix_errors_become_problems() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(framework_errors_as_problems))
                .app_data(web::JsonConfig::default().limit(16))
                .service(web::resource("/echo").post(echo).get(HttpResponse::Ok)),
        )
        .await;
        let cases = [
            (
                TestRequest::delete().uri("/echo"),
                405,
                "method_not_allowed",
            ),
            (
                TestRequest::post()
                    .uri("/echo")
                    .insert_header(("content-type", "text/plain"))
                    .set_payload("{}"),
                415,
                "unsupported_media_type",
            ),
            (
                TestRequest::post()
                    .uri("/echo")
                    .insert_header(("content-type", "application/json"))
                    .set_payload(format!("[{}]", "1,".repeat(20) + "1")),
                413,
                "payload_too_large",
            ),
        ];
        for (request, status, code) in cases {
            let response = test::call_service(&app, request.to_request()).await;
            assert_eq!(response.status(), status, "{code}");
            let content_type = response.headers().get("content-type").unwrap();
            assert_eq!(content_type, "application/problem+json");
            if status == 405 {
                let allow = response.headers().get("allow").unwrap().to_str().unwrap();
                assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
            }
            let body: Value = test::read_body_json(response).await;
            assert_eq!(body["code"], code);
        }
        let ok = TestRequest::post()
            .uri("/echo")
            .insert_header(("content-type", "application/json"))
            .set_payload("[1]");
        let response = test::call_service(&app, ok.to_request()).await;
        assert_eq!(response.status(), 200);
    }
}
