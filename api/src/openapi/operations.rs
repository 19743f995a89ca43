//! What each operation needs and may answer besides its success, written once per
//! operation, and the modifiers that put it into the document.

use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi as Document, Required};
use utoipa::Modify;

use super::errors::ErrorCode::{self, *};
use super::{errors, fields};
use crate::auth::Role;

/// What one operation needs and may answer besides its success.
pub struct OperationSpec {
    /// The operation id (the function name in `paths`).
    pub id: &'static str,
    /// The role whose bearer key it needs; `None`: no key.
    pub role: Option<Role>,
    /// Whether it reads a JSON body (and so may answer [`JSON_BODY`]).
    pub json_body: bool,
    /// Its specific error codes; see [`OperationSpec::codes`] for all of them.
    pub errors: &'static [ErrorCode],
}

impl OperationSpec {
    /// Every code the operation may answer: its own, those of its role and body, and
    /// [`EVERY`].
    pub fn codes(&self) -> Vec<ErrorCode> {
        let mut codes = self.errors.to_vec();
        if self.role.is_some() {
            codes.extend_from_slice(AUTHENTICATED);
        }
        if self.json_body {
            codes.extend_from_slice(JSON_BODY);
        }
        codes.extend_from_slice(EVERY);
        codes.sort();
        codes.dedup();
        codes
    }

    /// Whether it takes an `Idempotency-Key`: every operation that can be told the key
    /// was reused.
    pub fn idempotent(&self) -> bool {
        self.errors.contains(&IdempotencyKeyReused)
    }
}

/// The errors of every authenticated operation: a malformed or repeated `Authorization`
/// header is 400; every such operation touches the store, which may be unavailable.
pub const AUTHENTICATED: &[ErrorCode] = &[
    ValidationFailed,
    Unauthenticated,
    Forbidden,
    RateLimited,
    Unavailable,
];

/// The errors of every operation that reads a JSON body.
pub const JSON_BODY: &[ErrorCode] = &[PayloadTooLarge, UnsupportedMediaType];

/// The errors any path the binary serves may answer, the sandbox's included.
pub const EVERY: &[ErrorCode] = &[MethodNotAllowed, Internal];

const fn spec(
    id: &'static str,
    role: Option<Role>,
    json_body: bool,
    errors: &'static [ErrorCode],
) -> OperationSpec {
    OperationSpec {
        id,
        role,
        json_body,
        errors,
    }
}

const KEYED: &[ErrorCode] = &[IdempotencyKeyInUse, IdempotencyKeyReused];

/// The operations that create a saga, and so take the caller's `traceparent`.
pub const CREATE_SAGA: &[&str] = &[
    "create_onboarding",
    "create_credit_application",
    "create_service_request",
];

/// The errors of an operator's action on one workflow (cancel, retry, pause, resume).
const OPERATOR_ACTION_ERRORS: &[ErrorCode] = &[
    NotFound,
    InvalidState,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
];

/// Every operation of the API (the sandbox's are described by `onboard_sandbox`). The
/// keyless account and ticket operations list what `AUTHENTICATED` would add for them: an
/// invalid body, the per-address limit, an unavailable store.
pub const OPERATIONS: &[OperationSpec] = &[
    spec("healthz", None, false, &[]),
    spec("readyz", None, false, &[]),
    spec("metrics", None, false, &[]),
    spec("openapi_json", None, false, &[]),
    spec("create_onboarding", Some(Role::Bank), true, KEYED),
    spec("get_onboarding", Some(Role::Bank), false, &[NotFound]),
    spec("list_security_prompts", Some(Role::Wallet), false, &[]),
    spec(
        "decide_security_prompt",
        Some(Role::Wallet),
        true,
        &[
            NotFound,
            PromptClosed,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    ),
    spec(
        "create_credit_application",
        Some(Role::Wallet),
        true,
        &[IdempotencyKeyInUse, IdempotencyKeyReused, RealNameMismatch],
    ),
    spec(
        "get_credit_application",
        Some(Role::Wallet),
        false,
        &[NotFound],
    ),
    spec(
        "supply_savings_card",
        Some(Role::Wallet),
        true,
        &[
            NotFound,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
            NotSavingsCard,
            CardHolderMismatch,
            AlreadyBound,
            CardRefused,
        ],
    ),
    spec(
        "create_pairing_code",
        Some(Role::Wallet),
        true,
        &[
            NotFound,
            CodesExhausted,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    ),
    spec(
        "claim_pairing_code",
        Some(Role::Wallet),
        true,
        &[CodeNotFound, IdempotencyKeyInUse, IdempotencyKeyReused],
    ),
    spec("create_link", Some(Role::Merchant), true, KEYED),
    spec("get_link", Some(Role::Merchant), false, &[NotFound]),
    spec(
        "complete_link",
        Some(Role::Merchant),
        true,
        &[
            NotFound,
            VirtualAccountMismatch,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    ),
    spec(
        "exchange_link_token",
        Some(Role::Wallet),
        true,
        &[LinkNotFound, IdempotencyKeyInUse, IdempotencyKeyReused],
    ),
    spec("list_virtual_accounts", Some(Role::Wallet), false, &[]),
    spec(
        "revoke_virtual_account",
        Some(Role::Wallet),
        false,
        &[NotFound],
    ),
    spec(
        "create_service_request",
        Some(Role::Merchant),
        true,
        &[
            NotFound,
            VirtualAccountRevoked,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    ),
    spec(
        "get_service_request",
        Some(Role::Merchant),
        false,
        &[NotFound],
    ),
    spec("list_workflows", Some(Role::Operator), false, &[]),
    spec(
        "cancel_workflow",
        Some(Role::Operator),
        false,
        OPERATOR_ACTION_ERRORS,
    ),
    spec(
        "create_account",
        None,
        true,
        &[
            ValidationFailed,
            RateLimited,
            Unavailable,
            WeakPassword,
            UsernameTaken,
        ],
    ),
    spec(
        "create_ticket",
        None,
        true,
        &[
            ValidationFailed,
            RateLimited,
            Unavailable,
            InvalidCredentials,
            UnknownApp,
        ],
    ),
    spec(
        "verify_ticket",
        Some(Role::App),
        true,
        &[TicketInvalid, TicketExpired],
    ),
    spec(
        "refresh_ticket",
        None,
        true,
        &[
            ValidationFailed,
            RateLimited,
            Unavailable,
            UnknownApp,
            TicketInvalid,
            TicketExpired,
            RefreshKeyReused,
        ],
    ),
    spec(
        "revoke_ticket",
        None,
        true,
        &[
            ValidationFailed,
            RateLimited,
            Unavailable,
            UnknownApp,
            TicketInvalid,
        ],
    ),
    spec(
        "retry_workflow",
        Some(Role::Operator),
        false,
        OPERATOR_ACTION_ERRORS,
    ),
    spec(
        "pause_workflow",
        Some(Role::Operator),
        false,
        OPERATOR_ACTION_ERRORS,
    ),
    spec(
        "resume_workflow",
        Some(Role::Operator),
        false,
        OPERATOR_ACTION_ERRORS,
    ),
    spec("workflow_history", Some(Role::Operator), false, &[NotFound]),
];

/// The name of the bearer security scheme.
pub const BEARER: &str = "bearer";

/// The role's name in configuration and in the document.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Bank => "bank",
        Role::Wallet => "wallet",
        Role::Merchant => "merchant",
        Role::App => "app",
        Role::Operator => "operator",
    }
}

const IDEMPOTENCY_KEY: &str = "1–255 visible ASCII characters. The same caller, key and \
    body get the first response again and nothing is done twice (for at least 24 h); the \
    same key with another body: 422 `idempotency_key_reused`; while the first request is \
    still in flight: 409 `idempotency_key_in_use`.";

const TRACEPARENT: &str = "W3C Trace Context `traceparent` of the caller's span \
    (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`). While Onboard exports spans, \
    the workflow's root span becomes its child; a malformed value starts a fresh trace.";

/// Adds each API operation's security, role, `Idempotency-Key`, `traceparent` and error
/// responses from [`OPERATIONS`] and [`CREATE_SAGA`].
pub struct Operations;

impl Modify for Operations {
    fn modify(&self, doc: &mut Document) {
        for operation in operations_mut(doc) {
            let spec = operation
                .operation_id
                .as_deref()
                .and_then(|id| OPERATIONS.iter().find(|spec| spec.id == id));
            if let Some(spec) = spec {
                complete(operation, spec);
            }
        }
    }
}

fn complete(operation: &mut Operation, spec: &OperationSpec) {
    if let Some(role) = spec.role {
        let role = role_name(role);
        operation.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
        let description = operation.description.take().unwrap_or_default();
        operation.description = Some(format!(
            "{description}\n\n**Role:** `{role}` (bearer key of a `{role}` caller; other \
             roles get 403 `forbidden`)."
        ));
        operation.extensions = Some(ExtensionsBuilder::new().add("x-onboard-role", role).build());
    }
    if spec.idempotent() {
        operation.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(IDEMPOTENCY_KEY))
                .schema(Some(fields::idempotency_key()))
                .build(),
        );
    }
    if CREATE_SAGA.contains(&spec.id) {
        operation.parameters.get_or_insert_with(Vec::new).push(
            ParameterBuilder::new()
                .name("traceparent")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(TRACEPARENT))
                .schema(Some(fields::traceparent()))
                .build(),
        );
    }
    for (status, response) in errors::responses(&spec.codes()) {
        errors::add_response(&mut operation.responses.responses, status, response);
    }
}

/// Adds [`EVERY`] to the operations no [`OperationSpec`] describes (the sandbox's),
/// beside the responses they already list.
pub fn add_every(doc: &mut Document) {
    for operation in operations_mut(doc) {
        let described = operation
            .operation_id
            .as_deref()
            .is_some_and(|id| OPERATIONS.iter().any(|spec| spec.id == id));
        if !described {
            for (status, response) in errors::responses(EVERY) {
                errors::add_response(&mut operation.responses.responses, status, response);
            }
        }
    }
}

/// Every operation of the document.
fn operations_mut(doc: &mut Document) -> impl Iterator<Item = &mut Operation> {
    doc.paths.paths.values_mut().flat_map(|item| {
        let PathItem {
            get,
            put,
            post,
            delete,
            patch,
            ..
        } = item;
        [get, put, post, delete, patch].into_iter().flatten()
    })
}
