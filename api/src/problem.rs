//! HTTP errors as `application/problem+json` with a stable `type` and `code`.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use onboard_actors::EngineError;
use onboard_services::tickets::Weakness;
use onboard_services::{
    AttemptLimitError, IdempotencyError, LinkError, PairingError, RealNameError, TicketError,
};
use onboard_workflows::domain::ParseError;
use onboard_workflows::{RefusalCode, TransitionError};
use serde::Serialize;

/// Every error the API answers with. A rejected request changes nothing.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body or a parameter is invalid; `field` names it when known.
    #[error("{detail}")]
    Validation {
        /// The offending field, if one.
        field: Option<String>,
        /// What is wrong.
        detail: String,
    },
    /// No or an unknown bearer key.
    #[error("a valid bearer key is required")]
    Unauthenticated,
    /// The key's role may not use this endpoint.
    #[error("this key's role may not use this endpoint")]
    Forbidden,
    /// Not found, or not the caller's.
    #[error("no such resource")]
    NotFound,
    /// The Idempotency-Key was used with another body.
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyKeyReused,
    /// The Idempotency-Key's first request is still being processed.
    #[error("a request with this Idempotency-Key is still in flight")]
    IdempotencyKeyInUse,
    /// The partial real-name info does not match the wallet's record (or there is none).
    #[error("the real-name information does not match")]
    RealNameMismatch,
    /// The supplied savings card was refused by the bank or wallet; the saga keeps waiting.
    #[error("the card was refused: {0}")]
    CardRefused(String),
    /// The security prompt was decided or expired.
    #[error("the security prompt is no longer open")]
    PromptClosed,
    /// No live pairing code of another account in the claimant's reach: wrong, used,
    /// expired, far, or the claimant's own (one answer for all).
    #[error("no such pairing code here")]
    CodeNotFound,
    /// Every pairing code is taken near this place; the client may retry later.
    #[error("every pairing code is taken near this place")]
    CodesExhausted {
        /// Seconds until codes near the place have surely lapsed.
        retry_after_secs: u64,
    },
    /// No live link has this token (unknown, used, expired or malformed: one answer).
    #[error("no live link has this token")]
    LinkNotFound,
    /// The virtual account id was not minted for this link.
    #[error("this virtual account was not minted for this link")]
    VirtualAccountMismatch,
    /// The wallet revoked the virtual account.
    #[error("this virtual account was revoked by the wallet")]
    VirtualAccountRevoked,
    /// The saga cannot take this action in its current status.
    #[error("{0}")]
    Conflict(String),
    /// A new account's password is too short or easily guessed; the detail says which.
    #[error("{0}")]
    WeakPassword(&'static str),
    /// Another account holds the username.
    #[error("this username is taken")]
    UsernameTaken,
    /// Unknown username or wrong password (one answer for both).
    #[error("the username or password is wrong")]
    InvalidCredentials,
    /// The `app_id` names no app's resource server.
    #[error("no app has this app_id")]
    UnknownApp,
    /// No such ticket: unknown, replaced, another app's, or revoked.
    #[error("the ticket is not valid")]
    TicketInvalid,
    /// The ticket's key was current but has expired.
    #[error("the ticket has expired")]
    TicketExpired,
    /// The refresh key was already used: every ticket of its family is now revoked.
    #[error("this refresh key was already used; every ticket of its family is revoked")]
    RefreshKeyReused,
    /// Too many requests by this caller.
    #[error("rate limit exceeded")]
    RateLimited {
        /// Seconds until a request would be admitted.
        retry_after_secs: u64,
    },
    /// The store or runtime is unavailable; the client may retry after [`RETRY_AFTER_UNAVAILABLE_SECS`].
    #[error("temporarily unavailable")]
    Unavailable,
    /// The path exists but does not serve this method; `allow` lists the methods it serves.
    #[error("this path does not serve this method")]
    MethodNotAllowed {
        /// The value of the `Allow` header, e.g. `GET, POST`.
        allow: String,
    },
    /// The body is larger than the API accepts.
    #[error("the body exceeds {limit_kib} KiB")]
    PayloadTooLarge {
        /// The limit, KiB.
        limit_kib: usize,
    },
    /// A JSON endpoint was called without `Content-Type: application/json`, or with a
    /// `Content-Encoding` it cannot decode.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A fault inside the server (a handler panicked); the request's values are not logged.
    #[error("internal error")]
    Internal,
}

/// What `Retry-After` tells a client that got 503 `unavailable`.
pub const RETRY_AFTER_UNAVAILABLE_SECS: u64 = 1;

impl ApiError {
    /// A validation error naming `field`.
    pub fn field(field: &str, detail: impl Into<String>) -> ApiError {
        ApiError::Validation {
            field: Some(field.to_owned()),
            detail: detail.into(),
        }
    }

    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "validation_failed",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::IdempotencyKeyInUse => "idempotency_key_in_use",
            ApiError::PromptClosed => "prompt_closed",
            ApiError::RealNameMismatch => "real_name_mismatch",
            ApiError::CardRefused(code) => card_refusal_code(code),
            ApiError::CodeNotFound => "code_not_found",
            ApiError::CodesExhausted { .. } => "codes_exhausted",
            ApiError::LinkNotFound => "link_not_found",
            ApiError::VirtualAccountMismatch => "virtual_account_mismatch",
            ApiError::VirtualAccountRevoked => "virtual_account_revoked",
            ApiError::Conflict(_) => "invalid_state",
            ApiError::WeakPassword(_) => "weak_password",
            ApiError::UsernameTaken => "username_taken",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::UnknownApp => "unknown_app",
            ApiError::TicketInvalid => "ticket_invalid",
            ApiError::TicketExpired => "ticket_expired",
            ApiError::RefreshKeyReused => "refresh_key_reused",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable => "unavailable",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Internal => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "Invalid request",
            ApiError::Unauthenticated => "Unauthenticated",
            ApiError::Forbidden => "Forbidden",
            ApiError::NotFound => "Not found",
            ApiError::IdempotencyKeyReused => "Idempotency key reused",
            ApiError::IdempotencyKeyInUse => "Idempotency key in use",
            ApiError::PromptClosed => "Prompt closed",
            ApiError::RealNameMismatch => "Real-name mismatch",
            ApiError::CardRefused(_) => "Card refused",
            ApiError::CodeNotFound => "Pairing code not found",
            ApiError::CodesExhausted { .. } => "Pairing codes exhausted",
            ApiError::LinkNotFound => "Link not found",
            ApiError::VirtualAccountMismatch => "Virtual account mismatch",
            ApiError::VirtualAccountRevoked => "Virtual account revoked",
            ApiError::Conflict(_) => "Invalid state",
            ApiError::WeakPassword(_) => "Weak password",
            ApiError::UsernameTaken => "Username taken",
            ApiError::InvalidCredentials => "Invalid credentials",
            ApiError::UnknownApp => "Unknown app",
            ApiError::TicketInvalid => "Ticket invalid",
            ApiError::TicketExpired => "Ticket expired",
            ApiError::RefreshKeyReused => "Refresh key reused",
            ApiError::RateLimited { .. } => "Too many requests",
            ApiError::Unavailable => "Service unavailable",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::PayloadTooLarge { .. } => "Payload too large",
            ApiError::UnsupportedMediaType(_) => "Unsupported media type",
            ApiError::Internal => "Internal server error",
        }
    }
}

/// The stable code of a refused savings card: the party's own code when it is one of the
/// documented ones, `card_refused` otherwise.
fn card_refusal_code(code: &str) -> &'static str {
    match RefusalCode::from(code) {
        RefusalCode::NotSavingsCard => "not_savings_card",
        RefusalCode::CardHolderMismatch => "card_holder_mismatch",
        RefusalCode::AlreadyBound => "already_bound",
        _ => "card_refused",
    }
}

impl From<ParseError> for ApiError {
    /// A request field that does not parse as its domain type: 400 naming the field.
    fn from(error: ParseError) -> ApiError {
        ApiError::field(error.field, error.to_string())
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> ApiError {
        match error {
            EngineError::NotFound => ApiError::NotFound,
            EngineError::Transition(TransitionError::PromptClosed) => ApiError::PromptClosed,
            EngineError::Transition(other) => ApiError::Conflict(other.to_string()),
            other => {
                tracing::error!(error = %other, "runtime error");
                ApiError::Unavailable
            }
        }
    }
}

impl From<RealNameError> for ApiError {
    fn from(error: RealNameError) -> ApiError {
        match error {
            RealNameError::Mismatch => ApiError::RealNameMismatch,
            RealNameError::Limited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            RealNameError::RecordUnavailable(error) => {
                tracing::warn!(%error, "real-name record unavailable");
                ApiError::Unavailable
            }
            RealNameError::CountUnavailable(error) => {
                tracing::error!(%error, "store failed");
                ApiError::Unavailable
            }
        }
    }
}

impl From<AttemptLimitError> for ApiError {
    fn from(error: AttemptLimitError) -> ApiError {
        match error {
            AttemptLimitError::Limited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            AttemptLimitError::Unavailable(error) => {
                tracing::error!(%error, "store failed");
                ApiError::Unavailable
            }
        }
    }
}

impl From<PairingError> for ApiError {
    fn from(error: PairingError) -> ApiError {
        match error {
            PairingError::AccountNotFound => ApiError::NotFound,
            PairingError::CodeNotFound => ApiError::CodeNotFound,
            PairingError::Exhausted { retry_after_secs } => {
                ApiError::CodesExhausted { retry_after_secs }
            }
            PairingError::Limited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            PairingError::ProfileUnavailable(error) => {
                tracing::warn!(%error, "account profile unavailable");
                ApiError::Unavailable
            }
            PairingError::StoreUnavailable(error) => {
                tracing::error!(%error, "pairing store failed");
                ApiError::Unavailable
            }
        }
    }
}

impl From<LinkError> for ApiError {
    fn from(error: LinkError) -> ApiError {
        match error {
            LinkError::TokenNotFound => ApiError::LinkNotFound,
            LinkError::NotFound => ApiError::NotFound,
            LinkError::Mismatch => ApiError::VirtualAccountMismatch,
            LinkError::Revoked => ApiError::VirtualAccountRevoked,
            LinkError::Unavailable(error) => {
                tracing::error!(%error, "link store failed");
                ApiError::Unavailable
            }
            LinkError::Sealed(error) => {
                tracing::error!(%error, "sealed link value unreadable");
                ApiError::Unavailable
            }
        }
    }
}

impl From<IdempotencyError> for ApiError {
    fn from(error: IdempotencyError) -> ApiError {
        match error {
            IdempotencyError::KeyReused => ApiError::IdempotencyKeyReused,
            IdempotencyError::InFlight => ApiError::IdempotencyKeyInUse,
            IdempotencyError::Unavailable(error) => {
                tracing::error!(%error, "idempotency store failed");
                ApiError::Unavailable
            }
            IdempotencyError::Corrupt(error) => {
                tracing::error!(%error, "idempotency record unreadable");
                ApiError::Unavailable
            }
        }
    }
}

impl From<TicketError> for ApiError {
    fn from(error: TicketError) -> ApiError {
        match error {
            TicketError::WeakPassword(Weakness::TooShort) => {
                ApiError::WeakPassword("the password must be at least 10 characters")
            }
            TicketError::WeakPassword(Weakness::EasilyGuessed) => ApiError::WeakPassword(
                "the password is easily guessed (a common password, a pattern, or the username)",
            ),
            TicketError::UsernameTaken => ApiError::UsernameTaken,
            TicketError::InvalidCredentials => ApiError::InvalidCredentials,
            TicketError::UnknownApp => ApiError::UnknownApp,
            TicketError::Locked { retry_after_secs } => ApiError::RateLimited { retry_after_secs },
            TicketError::TicketInvalid => ApiError::TicketInvalid,
            TicketError::TicketExpired => ApiError::TicketExpired,
            TicketError::RefreshKeyReused => ApiError::RefreshKeyReused,
            TicketError::Unavailable(error) => {
                tracing::error!(%error, "ticket store failed");
                ApiError::Unavailable
            }
            TicketError::Hashing(error) => {
                tracing::error!(%error, "password hashing failed");
                ApiError::Internal
            }
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: String,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated
            | ApiError::InvalidCredentials
            | ApiError::TicketInvalid
            | ApiError::TicketExpired
            | ApiError::RefreshKeyReused => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::CodeNotFound | ApiError::LinkNotFound => {
                StatusCode::NOT_FOUND
            }
            ApiError::VirtualAccountRevoked => StatusCode::GONE,
            ApiError::IdempotencyKeyReused
            | ApiError::RealNameMismatch
            | ApiError::CardRefused(_)
            | ApiError::WeakPassword(_)
            | ApiError::VirtualAccountMismatch
            | ApiError::UnknownApp => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::IdempotencyKeyInUse
            | ApiError::PromptClosed
            | ApiError::Conflict(_)
            | ApiError::UsernameTaken => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable | ApiError::CodesExhausted { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let field = match self {
            ApiError::Validation { field, .. } => field.as_deref(),
            _ => None,
        };
        let body = Problem {
            kind: format!("https://onboard.dev/problems/{}", self.code()),
            title: self.title(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: self.code(),
            field,
        };
        let mut response = HttpResponse::build(status);
        response.content_type("application/problem+json");
        match self {
            ApiError::RateLimited { retry_after_secs }
            | ApiError::CodesExhausted { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unavailable => {
                response.insert_header((
                    header::RETRY_AFTER,
                    RETRY_AFTER_UNAVAILABLE_SECS.to_string(),
                ));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            _ => {}
        }
        if let ApiError::Unauthenticated = self {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(body)
    }
}
