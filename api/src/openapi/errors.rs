//! The `application/problem+json` error schema, its stable codes, and the error responses
//! of each operation. Examples are rendered from real `ApiError`s, so they show exactly
//! what the API sends.

use std::collections::BTreeMap;

use actix_web::body::MessageBody;
use actix_web::ResponseError;
use serde::Deserialize;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::{Ref, RefOr, Response};
use utoipa::ToSchema;

use crate::problem::ApiError;

/// The media type of every error.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The stable snake_case code of an error; clients branch on it, never on `title` or `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body, a parameter or the `Idempotency-Key` is invalid; `field` names it.
    ValidationFailed,
    /// 401: no or an unknown bearer key.
    Unauthenticated,
    /// 403: the key's role may not use this endpoint.
    Forbidden,
    /// 404: no such resource, or not the caller's.
    NotFound,
    /// 404: no live pairing code of another account within reach (wrong, used, expired,
    /// far, or the claimant's own).
    CodeNotFound,
    /// 404: no live link has this token (unknown, used, expired or malformed: one answer).
    LinkNotFound,
    /// 410: the wallet revoked this virtual account; service requests with it are refused.
    VirtualAccountRevoked,
    /// 422: the virtual account was not minted for this link.
    VirtualAccountMismatch,
    /// 409: a decided or expired security prompt.
    PromptClosed,
    /// 409: the workflow cannot take this action in its current status.
    InvalidState,
    /// 409: the first request with this `Idempotency-Key` is still in flight.
    IdempotencyKeyInUse,
    /// 422: this `Idempotency-Key` was used with a different request.
    IdempotencyKeyReused,
    /// 422: the partial real-name info does not match the wallet's record.
    RealNameMismatch,
    /// 422: the supplied card is not a savings card; the workflow keeps waiting.
    NotSavingsCard,
    /// 422: the supplied card belongs to someone else; the workflow keeps waiting.
    CardHolderMismatch,
    /// 422: the supplied card is already bound; the workflow keeps waiting.
    AlreadyBound,
    /// 422: the supplied card was refused for another reason; the workflow keeps waiting.
    CardRefused,
    /// 422: the new account's password is shorter than 10 characters or easily guessed.
    WeakPassword,
    /// 409: another account holds the username.
    UsernameTaken,
    /// 401: unknown username or wrong password (one answer for both).
    InvalidCredentials,
    /// 422: the `app_id` names no app's resource server.
    UnknownApp,
    /// 401: no such ticket (unknown, replaced, another app's, or revoked).
    TicketInvalid,
    /// 401: the ticket's key has expired.
    TicketExpired,
    /// 401: the refresh key was already used; every ticket of its family is now revoked.
    RefreshKeyReused,
    /// 429: too many requests by this caller or client address (or real-name mismatches,
    /// or failed logins); see `Retry-After`.
    RateLimited,
    /// 503: the store or runtime is temporarily unavailable; see `Retry-After`.
    Unavailable,
    /// 503: every pairing code is taken near this place; see `Retry-After`.
    CodesExhausted,
    /// 405: the path does not serve this method; `Allow` lists those it serves.
    MethodNotAllowed,
    /// 413: the body is larger than the API accepts (64 KiB).
    PayloadTooLarge,
    /// 415: a JSON endpoint called without `Content-Type: application/json`, or with an
    /// unsupported `Content-Encoding`.
    UnsupportedMediaType,
    /// 500: a fault inside the server.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the schema's enum.
    pub const ALL: [ErrorCode; 31] = [
        ErrorCode::ValidationFailed,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::CodeNotFound,
        ErrorCode::LinkNotFound,
        ErrorCode::VirtualAccountRevoked,
        ErrorCode::VirtualAccountMismatch,
        ErrorCode::PromptClosed,
        ErrorCode::InvalidState,
        ErrorCode::IdempotencyKeyInUse,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::RealNameMismatch,
        ErrorCode::NotSavingsCard,
        ErrorCode::CardHolderMismatch,
        ErrorCode::AlreadyBound,
        ErrorCode::CardRefused,
        ErrorCode::WeakPassword,
        ErrorCode::UsernameTaken,
        ErrorCode::InvalidCredentials,
        ErrorCode::UnknownApp,
        ErrorCode::TicketInvalid,
        ErrorCode::TicketExpired,
        ErrorCode::RefreshKeyReused,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::CodesExhausted,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Internal,
    ];

    /// An `ApiError` that answers with this code, for the examples.
    pub fn sample(self) -> ApiError {
        match self {
            ErrorCode::ValidationFailed => {
                ApiError::field("card_number", "card_number: fails the Luhn check")
            }
            ErrorCode::Unauthenticated => ApiError::Unauthenticated,
            ErrorCode::Forbidden => ApiError::Forbidden,
            ErrorCode::NotFound => ApiError::NotFound,
            ErrorCode::CodeNotFound => ApiError::CodeNotFound,
            ErrorCode::LinkNotFound => ApiError::LinkNotFound,
            ErrorCode::VirtualAccountRevoked => ApiError::VirtualAccountRevoked,
            ErrorCode::VirtualAccountMismatch => ApiError::VirtualAccountMismatch,
            ErrorCode::PromptClosed => ApiError::PromptClosed,
            ErrorCode::InvalidState => ApiError::Conflict(
                "event cancel does not apply while the saga is Completed".to_owned(),
            ),
            ErrorCode::IdempotencyKeyInUse => ApiError::IdempotencyKeyInUse,
            ErrorCode::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            ErrorCode::RealNameMismatch => ApiError::RealNameMismatch,
            ErrorCode::NotSavingsCard => ApiError::CardRefused("not_savings_card".to_owned()),
            ErrorCode::CardHolderMismatch => {
                ApiError::CardRefused("card_holder_mismatch".to_owned())
            }
            ErrorCode::AlreadyBound => ApiError::CardRefused("already_bound".to_owned()),
            ErrorCode::CardRefused => ApiError::CardRefused("refused".to_owned()),
            ErrorCode::WeakPassword => {
                ApiError::WeakPassword("the password must be at least 10 characters")
            }
            ErrorCode::UsernameTaken => ApiError::UsernameTaken,
            ErrorCode::InvalidCredentials => ApiError::InvalidCredentials,
            ErrorCode::UnknownApp => ApiError::UnknownApp,
            ErrorCode::TicketInvalid => ApiError::TicketInvalid,
            ErrorCode::TicketExpired => ApiError::TicketExpired,
            ErrorCode::RefreshKeyReused => ApiError::RefreshKeyReused,
            ErrorCode::RateLimited => ApiError::RateLimited {
                retry_after_secs: 1,
            },
            ErrorCode::Unavailable => ApiError::Unavailable,
            ErrorCode::CodesExhausted => ApiError::CodesExhausted {
                retry_after_secs: 120,
            },
            ErrorCode::MethodNotAllowed => ApiError::MethodNotAllowed {
                allow: "GET".to_owned(),
            },
            ErrorCode::PayloadTooLarge => ApiError::PayloadTooLarge { limit_kib: 64 },
            ErrorCode::UnsupportedMediaType => ApiError::UnsupportedMediaType(
                "the body must be sent as Content-Type: application/json".to_owned(),
            ),
            ErrorCode::Internal => ApiError::Internal,
        }
    }

    /// The wire name, as `ApiError::code` spells it.
    pub fn as_str(self) -> &'static str {
        self.sample().code()
    }

    /// The HTTP status it is answered with.
    pub fn status(self) -> u16 {
        self.sample().status_code().as_u16()
    }

    /// The problem document the API sends for this code.
    pub fn example(self) -> serde_json::Value {
        let body = self
            .sample()
            .error_response()
            .into_body()
            .try_into_bytes()
            .unwrap_or_default();
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null)
    }
}

/// An error, as `application/problem+json` (RFC 9457).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// A URI naming the problem type: `https://onboard.dev/problems/<code>`.
    #[serde(rename = "type")]
    #[schema(
        format = "uri",
        example = "https://onboard.dev/problems/validation_failed"
    )]
    pub kind: String,
    /// Short human-readable summary of the problem type.
    #[schema(example = "Invalid request")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 400)]
    pub status: u16,
    /// Human-readable explanation; never echoes submitted values.
    #[schema(example = "card_number: fails the Luhn check")]
    pub detail: String,
    /// The stable code.
    pub code: ErrorCode,
    /// The offending field or parameter, for `validation_failed` when known.
    #[serde(default)]
    #[schema(example = "card_number", nullable = false)]
    pub field: Option<String>,
}

/// The error responses for `codes`, one per status; codes sharing a status share a
/// response whose examples show each.
pub fn responses(codes: &[ErrorCode]) -> BTreeMap<String, Response> {
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in codes {
        by_status.entry(code.status()).or_default().push(*code);
    }
    by_status
        .into_iter()
        .map(|(status, codes)| (status.to_string(), response(status, &codes)))
        .collect()
}

fn response(status: u16, codes: &[ErrorCode]) -> Response {
    let listed = codes
        .iter()
        .map(|c| format!("`{}`", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let reason = actix_web::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let examples = codes.iter().map(|code| {
        (
            code.as_str(),
            ExampleBuilder::new()
                .summary(code.as_str())
                .value(Some(code.example()))
                .build(),
        )
    });
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .examples_from_iter(examples)
        .build();
    let mut builder = ResponseBuilder::new()
        .description(if codes.len() == 1 {
            format!("{reason}: `code` {listed}.")
        } else {
            format!("{reason}: `code` one of {listed}.")
        })
        .content(PROBLEM_JSON, content);
    if [
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::CodesExhausted,
    ]
    .iter()
    .any(|code| codes.contains(code))
    {
        builder = builder.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .minimum(Some(1)),
                )
                .description(Some("Seconds until a request would be admitted."))
                .build(),
        );
    }
    if codes.contains(&ErrorCode::MethodNotAllowed) {
        builder = builder.header(
            "Allow",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some("The methods the path serves, e.g. `GET, POST`."))
                .build(),
        );
    }
    if codes.contains(&ErrorCode::Unauthenticated) {
        builder = builder.header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some("`Bearer`"))
                .build(),
        );
    }
    builder.build()
}

/// Adds `response` under `status`; when the operation already answers that status (the
/// sandbox's own problems), the two are merged: either schema, every example.
pub fn add_response(
    responses: &mut BTreeMap<String, RefOr<Response>>,
    status: String,
    response: Response,
) {
    let Some(RefOr::T(existing)) = responses.get_mut(&status) else {
        responses.insert(status, RefOr::T(response));
        return;
    };
    existing.description = format!("{} Or {}", existing.description, response.description);
    existing.headers.extend(response.headers);
    for (media_type, added) in response.content {
        match existing.content.get_mut(&media_type) {
            Some(content) => {
                let schemas = content.schema.take().into_iter().chain(added.schema);
                let any_of = schemas.fold(AnyOfBuilder::new(), AnyOfBuilder::item);
                content.schema = Some(any_of.into());
                content.examples.extend(added.examples);
            }
            None => {
                existing.content.insert(media_type, added);
            }
        }
    }
}
