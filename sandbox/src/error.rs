//! Errors: the public one for opening the sandbox, and the one every sandbox
//! endpoint maps to HTTP in a single place.

use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde_json::json;

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
    #[error("an error was injected by a sandbox fault")]
    Injected,
    #[error("the caller is not authorized (injected by a sandbox fault)")]
    Unauthorized,
    #[error("a request with this Idempotency-Key is still being processed")]
    InProgress,
    #[error("the sandbox could not persist its state")]
    Storage,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::KeyMissing => "idempotency_key_missing",
            ApiError::KeyInvalid => "idempotency_key_invalid",
            ApiError::KeyReused => "idempotency_key_reused",
            ApiError::AccountExists => "account_exists",
            ApiError::NotFound(_) => "not_found",
            ApiError::AccountNotFound => "account_not_found",
            ApiError::AlreadyBound => "already_bound",
            ApiError::NotSavingsCard => "not_savings_card",
            ApiError::CardHolderMismatch => "card_holder_mismatch",
            ApiError::SavingsCardTaken => "savings_card_taken",
            ApiError::CreditAccountExists => "credit_account_exists",
            ApiError::Declined => "declined",
            ApiError::Injected => "injected_error",
            ApiError::Unauthorized => "unauthorized",
            ApiError::InProgress => "request_in_progress",
            ApiError::Storage => "storage_failed",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::KeyMissing | ApiError::KeyInvalid => {
                StatusCode::BAD_REQUEST
            }
            ApiError::KeyReused
            | ApiError::Declined
            | ApiError::NotSavingsCard
            | ApiError::CardHolderMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::AccountExists
            | ApiError::InProgress
            | ApiError::AlreadyBound
            | ApiError::SavingsCardTaken
            | ApiError::CreditAccountExists => StatusCode::CONFLICT,
            ApiError::NotFound(_) | ApiError::AccountNotFound => StatusCode::NOT_FOUND,
            ApiError::Injected => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Storage => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .json(json!({ "code": self.code(), "detail": self.to_string() }))
    }
}
