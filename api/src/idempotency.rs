//! The HTTP side of API idempotency (the records themselves are
//! [`onboard_services::idempotency`]): the `Idempotency-Key` header, the operation a
//! request names, the responses the routes keep, and a kept response sent again.

use std::collections::HashMap;
use std::future::Future;

use actix_web::dev::ResourceDef;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use onboard_actors::SagaView;
use onboard_services::{Idempotency, StoredResponse};

use crate::problem::ApiError;

/// The request's `Idempotency-Key`, if sent; 1–255 visible ASCII characters. Sent twice,
/// it is refused: replaying by one of two keys would be a guess.
pub fn request_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let mut values = req.headers().get_all("Idempotency-Key");
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(ApiError::field(
            "Idempotency-Key",
            "Idempotency-Key: must be sent once",
        ));
    }
    let key = value.to_str().unwrap_or_default();
    let valid = (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(ApiError::field(
            "Idempotency-Key",
            "Idempotency-Key: must be 1 to 255 visible ASCII characters",
        ));
    }
    Ok(Some(key.to_owned()))
}

/// The operation a request names, as the idempotency fingerprint covers it: its method and
/// the route actix matched with the request's path parameters filled in, e.g.
/// `POST /v1/admin/workflows/wf_…/cancel`. Read from the router rather than written in
/// each handler, so a route cannot fingerprint as another; the bytes are those the
/// handlers wrote before, so records kept then still replay. The parameters take part,
/// so one key used on two workflows is a reused key, not a replay of the first.
pub fn operation_of(req: &HttpRequest) -> Result<String, ApiError> {
    let pattern = req.match_pattern().ok_or(ApiError::Internal)?;
    let parameters: HashMap<&str, &str> = req.match_info().iter().collect();
    let mut path = String::new();
    if !ResourceDef::new(pattern).resource_path_from_map(&mut path, &parameters) {
        return Err(ApiError::Internal);
    }
    Ok(format!("{} {path}", req.method()))
}

/// 202 with a workflow just started, located under `collection` (e.g. `/v1/onboardings`).
pub fn accepted(view: &SagaView, collection: &str) -> StoredResponse {
    StoredResponse::json(202, view)
        .with_header("location", format!("{collection}/{}", view.id))
        .about_saga(view.id.to_string())
}

/// 200 with a workflow.
pub fn workflow(view: &SagaView) -> StoredResponse {
    StoredResponse::json(200, view).about_saga(view.id.to_string())
}

/// What makes a `POST` idempotent: its `Idempotency-Key`, if sent, and the operation it
/// names, read once before its body is parsed.
pub struct Keyed {
    key: Option<String>,
    operation: String,
}

impl Keyed {
    /// The request's key (400 when malformed) and operation.
    pub fn of(req: &HttpRequest) -> Result<Keyed, ApiError> {
        Ok(Keyed {
            key: request_key(req)?,
            operation: operation_of(req)?,
        })
    }

    /// The key, if sent: a workflow created under it gets an id derived from it.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// Runs `handler` at most once for `caller`'s key, operation and `body`, and answers its
    /// response or, for a repeat, the one kept from the first run.
    pub async fn run<F, Fut>(
        &self,
        idempotency: &Idempotency,
        caller: &str,
        body: &[u8],
        handler: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<StoredResponse, ApiError>>,
    {
        idempotency
            .run(caller, self.key(), &self.operation, body, handler)
            .await
            .map(replay)
    }
}

/// The HTTP response of a kept one: its status, headers and body bytes, unchanged.
pub fn replay(stored: StoredResponse) -> HttpResponse {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    for (name, value) in &stored.headers {
        response.append_header((name.as_str(), value.as_str()));
    }
    response.body(stored.body)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use actix_web::body::to_bytes;
    use actix_web::dev::Service;
    use actix_web::http::Method;
    use actix_web::test::{self as actix_test, TestRequest};
    use actix_web::App;

    use super::*;

    const WORKFLOW: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364";
    const APPLICATION: &str = "ca_d2c838ff08ee39269f4398dc6b6f72bd";
    const PROMPT: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d65";

    /// The operation of each idempotent route as the app routes it (its handler then
    /// answers whatever it answers without the app's state), against the string that
    /// route's handler wrote by hand before: the fingerprints of kept records hold.
    #[actix_web::test]
    async fn each_route_names_the_operation_its_handler_wrote_before() {
        let seen: Rc<RefCell<Option<String>>> = Rc::default();
        let captured = seen.clone();
        let app = actix_test::init_service(
            App::new()
                .wrap_fn(move |req, srv| {
                    let captured = captured.clone();
                    let response = srv.call(req);
                    async move {
                        let response = response.await?;
                        *captured.borrow_mut() = operation_of(response.request()).ok();
                        Ok(response)
                    }
                })
                .configure(crate::app::configure),
        )
        .await;
        let cases = [
            (
                "/v1/onboardings".to_owned(),
                "POST /v1/onboardings".to_owned(),
            ),
            (
                "/v1/credit-applications".to_owned(),
                "POST /v1/credit-applications".to_owned(),
            ),
            (
                format!("/v1/credit-applications/{APPLICATION}/savings-account"),
                format!("POST /v1/credit-applications/{APPLICATION}/savings-account"),
            ),
            (
                format!("/v1/security-prompts/{PROMPT}/decision"),
                format!("POST /v1/security-prompts/{PROMPT}/decision"),
            ),
            (
                format!("/v1/admin/workflows/{WORKFLOW}/cancel"),
                format!("POST /v1/admin/workflows/{WORKFLOW}/cancel"),
            ),
            (
                format!("/v1/admin/workflows/{WORKFLOW}/retry"),
                format!("POST /v1/admin/workflows/{WORKFLOW}/retry"),
            ),
        ];
        for (path, before) in cases {
            *seen.borrow_mut() = None;
            let request = TestRequest::default()
                .method(Method::POST)
                .uri(&path)
                .to_request();
            actix_test::call_service(&app, request).await;
            assert_eq!(seen.borrow().as_deref(), Some(before.as_str()), "{path}");
        }
    }

    #[test]
    fn a_request_outside_a_route_names_no_operation() {
        let request = TestRequest::post().uri("/v1/onboardings").to_http_request();
        assert!(matches!(operation_of(&request), Err(ApiError::Internal)));
    }

    fn key_of(values: &[&str]) -> Result<Option<String>, ApiError> {
        let mut request = TestRequest::default();
        for value in values {
            request = request.append_header(("Idempotency-Key", *value));
        }
        request_key(&request.to_http_request())
    }

    #[test]
    fn reads_one_key_or_none() {
        assert_eq!(key_of(&["k-1"]).unwrap().as_deref(), Some("k-1"));
        assert_eq!(key_of(&[]).unwrap(), None);
    }

    #[test]
    fn refuses_a_key_sent_twice_or_invalid() {
        for values in [&["k-1", "k-2"][..], &["k-1", "k-1"], &[""], &["a b"]] {
            match key_of(values) {
                Err(ApiError::Validation { field, .. }) => {
                    assert_eq!(field.as_deref(), Some("Idempotency-Key"), "{values:?}")
                }
                other => panic!("{values:?}: {other:?}"),
            }
        }
    }

    #[actix_web::test]
    async fn a_replay_sends_the_status_headers_and_bytes_kept() {
        let stored = StoredResponse {
            status: 201,
            headers: vec![
                ("content-type".into(), "text/plain".into()),
                ("location".into(), "/v1/tickets/t_1".into()),
                ("link".into(), "</a>".into()),
                ("link".into(), "</b>".into()),
            ],
            body: b"\x00 raw \xff".to_vec(),
            saga_id: None,
        };
        let response = replay(stored.clone());
        assert_eq!(response.status().as_u16(), 201);
        let headers = response.headers();
        assert_eq!(headers.get("content-type").unwrap(), "text/plain");
        assert_eq!(headers.get("location").unwrap(), "/v1/tickets/t_1");
        let links: Vec<_> = headers.get_all("link").collect();
        assert_eq!(links, ["</a>", "</b>"]);
        let body = to_bytes(response.into_body()).await.unwrap();
        assert_eq!(body.as_ref(), stored.body.as_slice());
    }
}
