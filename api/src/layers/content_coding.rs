//! Bodies in a content coding the server cannot decode are refused before routing.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::problem::ApiError;

/// The codings actix decodes in this build (`compress-gzip`); any other one would reach
/// a handler still encoded.
const DECODED: [&str; 3] = ["identity", "gzip", "deflate"];

/// Answers 415 `unsupported_media_type` for a body to a served path whose
/// `Content-Encoding` is not one header naming identity, gzip or deflate. Nobody could read such a
/// body, so it is refused before authentication, like a malformed message; a body that
/// claims a supported coding but does not decode is a 400 where it is read.
pub async fn refuse_unknown_codings(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    // Matching the route walks the route table: only a body nobody could decode pays it.
    if has_body(req.headers()) && !decodable(req.headers()) && req.match_pattern().is_some() {
        let problem = ApiError::UnsupportedMediaType(
            "Content-Encoding must be gzip, deflate or identity".to_owned(),
        );
        return Ok(req
            .into_response(problem.error_response())
            .map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get(CONTENT_LENGTH)
            .is_some_and(|length| length.as_bytes() != b"0")
}

fn decodable(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_ENCODING);
    match (values.next(), values.next()) {
        (None, _) => true,
        (Some(value), None) => value.to_str().is_ok_and(|coding| {
            DECODED
                .iter()
                .any(|known| coding.trim().eq_ignore_ascii_case(known))
        }),
        (Some(_), Some(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut request = TestRequest::default();
        for pair in pairs {
            request = request.append_header(*pair);
        }
        request.to_http_request().headers().clone()
    }

    #[test]
    fn decodes_identity_gzip_and_deflate_in_any_case() {
        for coding in ["gzip", "GZIP", " deflate ", "identity"] {
            assert!(
                decodable(&headers(&[("Content-Encoding", coding)])),
                "{coding}"
            );
        }
        assert!(decodable(&headers(&[])));
    }

    #[test]
    fn refuses_other_codings_lists_and_repeats() {
        for pairs in [
            &[("Content-Encoding", "br")][..],
            &[("Content-Encoding", "zstd")],
            &[("Content-Encoding", "x-unknown")],
            &[("Content-Encoding", "gzip, gzip")],
            &[("Content-Encoding", "gzip"), ("Content-Encoding", "gzip")],
        ] {
            assert!(!decodable(&headers(pairs)), "{pairs:?}");
        }
    }

    #[test]
    fn a_body_is_announced_by_its_length_or_chunking() {
        assert!(has_body(&headers(&[("Content-Length", "2")])));
        assert!(has_body(&headers(&[("Transfer-Encoding", "chunked")])));
        assert!(!has_body(&headers(&[("Content-Length", "0")])));
        assert!(!has_body(&headers(&[])));
    }
}
