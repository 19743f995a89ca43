//! The HTTP side of API idempotency (the records themselves are
//! [`onboard_services::idempotency`]): the `Idempotency-Key` header, the responses
//! the routes keep, and a kept response sent again.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use onboard_actors::SagaView;
use onboard_services::StoredResponse;

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

/// 202 with a workflow just started, located under `collection` (e.g. `/v1/onboardings`).
pub fn accepted(view: &SagaView, collection: &str) -> StoredResponse {
    StoredResponse::json(202, view).with_header("location", format!("{collection}/{}", view.id))
}

/// 200 with a workflow.
pub fn workflow(view: &SagaView) -> StoredResponse {
    StoredResponse::json(200, view)
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
    use actix_web::body::to_bytes;
    use actix_web::test::TestRequest;

    use super::*;

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
