//! Errors: the public one for opening the sandbox, and the one every sandbox
//! endpoint maps to HTTP in a single place.

use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// Why the sandbox could not be opened; the caller (the binary) decides whether
/// to give up or retry.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The directory that should hold the database file could not be created.
    #[error("failed to create the directory of the sandbox database")]
    CreateDir(#[source] std::io::Error),
    /// redb could not open, read or initialise the database file (boxed:
    /// redb's error is large and would bloat every result).
    #[error("sandbox database failed")]
    Storage(#[from] Box<redb::Error>),
    /// A stored record no longer decodes, so the state cannot be trusted.
    #[error("a record in table `{table}` of the sandbox database is not valid")]
    Corrupt {
        /// The redb table holding the record.
        table: String,
        /// Why decoding failed.
        #[source]
        source: serde_json::Error,
    },
    /// The thread that writes state to the database could not be started.
    #[error("failed to start the sandbox writer thread")]
    Writer(#[source] std::io::Error),
}

/// Everything a sandbox endpoint can answer besides success. A rejected request
/// changes nothing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("{0}")]
    Validation(String),
    #[error("the Idempotency-Key header is required for this operation")]
    KeyMissing,
    #[error("the Idempotency-Key header must be 1 to 255 visible ASCII characters")]
    KeyInvalid,
    #[error("this Idempotency-Key was already used with a different request body")]
    KeyReused,
    #[error("the person already has an open payment account")]
    AccountExists,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("no open payment account has this id")]
    AccountNotFound,
    #[error("the payment account already has an active savings binding")]
    AlreadyBound,
    #[error("the card is not a savings card the bank knows")]
    NotSavingsCard,
    #[error("the savings card belongs to another person")]
    CardHolderMismatch,
    #[error("the savings card is already registered to another person")]
    SavingsCardTaken,
    #[error("the person already holds an active credit account")]
    CreditAccountExists,
    #[error("the operation was declined")]
    Declined,
    #[error("the account cannot cover the amount")]
    InsufficientFunds,
    #[error("an error was injected by a sandbox fault")]
    Injected,
    #[error("the caller is not authorized (injected by a sandbox fault)")]
    Unauthorized,
    #[error("a request with this Idempotency-Key is still being processed")]
    InProgress,
    #[error("the sandbox could not persist its state")]
    Storage,
    #[error("the body exceeds {limit_kib} KiB")]
    PayloadTooLarge { limit_kib: usize },
    #[error("the body must be sent as Content-Type: application/json")]
    UnsupportedMediaType,
}

/// The stable code of a sandbox error: what a caller (the orchestrator's connector
/// above all) branches on. The enum is both the wire value and the documented schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SandboxErrorCode)]
pub(crate) enum ErrorCode {
    /// 400: the body is not the operation's JSON or a field is invalid.
    ValidationFailed,
    /// 400: an operation with an effect was called without `Idempotency-Key`.
    IdempotencyKeyMissing,
    /// 400: the `Idempotency-Key` is not 1–255 visible ASCII characters.
    IdempotencyKeyInvalid,
    /// 422: the `Idempotency-Key` was already used with another body.
    IdempotencyKeyReused,
    /// 409: the person already holds an open payment account.
    AccountExists,
    /// 404: no such payment account, binding or credit account.
    NotFound,
    /// 404: no open payment account has this id.
    AccountNotFound,
    /// 409: the payment account already has an active savings binding.
    AlreadyBound,
    /// 422: the card is not a savings card the bank issued.
    NotSavingsCard,
    /// 422: the savings card was issued to another person.
    CardHolderMismatch,
    /// 409: the savings card is registered to another person.
    SavingsCardTaken,
    /// 409: the person already holds an active credit account.
    CreditAccountExists,
    /// 422: the party declined (the magic declined card, or a `decline` fault).
    Declined,
    /// 422: the account cannot cover the charge (any amount above 10,000.00).
    InsufficientFunds,
    /// 503: an `error` fault was queued for this operation.
    InjectedError,
    /// 401: an `unauthorized` fault was queued for this operation; nothing was applied.
    Unauthorized,
    /// 409: an `in_progress` fault: the call was applied, but answered as if a call with
    /// the same key were still being processed.
    RequestInProgress,
    /// 500: the sandbox could not persist its state.
    StorageFailed,
    /// 413: the body is larger than 64 KiB.
    PayloadTooLarge,
    /// 415: the body was not sent as `application/json`.
    UnsupportedMediaType,
}

impl ErrorCode {
    /// The HTTP status the code is answered with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            ErrorCode::ValidationFailed
            | ErrorCode::IdempotencyKeyMissing
            | ErrorCode::IdempotencyKeyInvalid => StatusCode::BAD_REQUEST,
            ErrorCode::IdempotencyKeyReused
            | ErrorCode::Declined
            | ErrorCode::InsufficientFunds
            | ErrorCode::NotSavingsCard
            | ErrorCode::CardHolderMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::AccountExists
            | ErrorCode::RequestInProgress
            | ErrorCode::AlreadyBound
            | ErrorCode::SavingsCardTaken
            | ErrorCode::CreditAccountExists => StatusCode::CONFLICT,
            ErrorCode::NotFound | ErrorCode::AccountNotFound => StatusCode::NOT_FOUND,
            ErrorCode::InjectedError => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::StorageFailed => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }

    /// The wire name, as serde writes it.
    pub(crate) fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl ApiError {
    pub(crate) fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::KeyMissing => ErrorCode::IdempotencyKeyMissing,
            ApiError::KeyInvalid => ErrorCode::IdempotencyKeyInvalid,
            ApiError::KeyReused => ErrorCode::IdempotencyKeyReused,
            ApiError::AccountExists => ErrorCode::AccountExists,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::AccountNotFound => ErrorCode::AccountNotFound,
            ApiError::AlreadyBound => ErrorCode::AlreadyBound,
            ApiError::NotSavingsCard => ErrorCode::NotSavingsCard,
            ApiError::CardHolderMismatch => ErrorCode::CardHolderMismatch,
            ApiError::SavingsCardTaken => ErrorCode::SavingsCardTaken,
            ApiError::CreditAccountExists => ErrorCode::CreditAccountExists,
            ApiError::Declined => ErrorCode::Declined,
            ApiError::InsufficientFunds => ErrorCode::InsufficientFunds,
            ApiError::Injected => ErrorCode::InjectedError,
            ApiError::Unauthorized => ErrorCode::Unauthorized,
            ApiError::InProgress => ErrorCode::RequestInProgress,
            ApiError::Storage => ErrorCode::StorageFailed,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
        }
    }
}

/// A sandbox error as `application/problem+json` (RFC 9457), shaped like the API's own
/// problems so that one client reads both.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SandboxProblem)]
pub(crate) struct Problem {
    /// `https://onboard.dev/problems/sandbox/<code>`.
    #[serde(rename = "type")]
    #[schema(
        format = "uri",
        example = "https://onboard.dev/problems/sandbox/declined"
    )]
    kind: String,
    /// The HTTP status's reason phrase.
    #[schema(example = "Unprocessable Entity")]
    title: &'static str,
    /// The HTTP status code.
    #[schema(example = 422)]
    status: u16,
    /// Human-readable explanation.
    #[schema(example = "the operation was declined")]
    detail: String,
    /// The stable code.
    code: ErrorCode,
}

impl Problem {
    /// The problem document sent for `error`.
    pub(crate) fn of(error: &ApiError) -> Problem {
        let code = error.code();
        let status = code.status();
        Problem {
            kind: format!("https://onboard.dev/problems/sandbox/{}", code.as_str()),
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: error.to_string(),
            code,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code().status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type(PROBLEM_JSON)
            .body(serde_json::to_string(&Problem::of(self)).unwrap_or_default())
    }
}

/// The media type of every sandbox error.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";
