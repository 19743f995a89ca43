//! `GET /openapi.json`: the OpenAPI 3.1 document of the API, generated with `utoipa`.
//!
//! Request bodies are the handlers' own body structs (`ToSchema` derived in
//! `crate::routes`); responses are mirrored in [`schemas`]; each operation's role and error
//! responses come from [`OPERATIONS`].

pub mod errors;
mod paths;
pub mod schemas;

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use crate::auth::Role;
use errors::ErrorCode;
use errors::ErrorCode::*;

/// What one operation needs and may answer besides its success.
pub struct OperationSpec {
    /// The operation id (the function name in `paths`).
    pub id: &'static str,
    /// The role whose bearer key it needs; `None`: no key.
    pub role: Option<Role>,
    /// Its specific error codes; authenticated operations also get [`AUTHENTICATED`].
    pub errors: &'static [ErrorCode],
}

/// The errors of every authenticated operation.
pub const AUTHENTICATED: &[ErrorCode] = &[
    ErrorCode::Unauthenticated,
    ErrorCode::Forbidden,
    ErrorCode::RateLimited,
    ErrorCode::Unavailable,
];

/// Every documented operation.
pub const OPERATIONS: &[OperationSpec] = &[
    OperationSpec {
        id: "healthz",
        role: None,
        errors: &[],
    },
    OperationSpec {
        id: "readyz",
        role: None,
        errors: &[],
    },
    OperationSpec {
        id: "metrics",
        role: None,
        errors: &[],
    },
    OperationSpec {
        id: "openapi_json",
        role: None,
        errors: &[],
    },
    OperationSpec {
        id: "create_onboarding",
        role: Some(Role::Bank),
        errors: &[ValidationFailed, IdempotencyKeyInUse, IdempotencyKeyReused],
    },
    OperationSpec {
        id: "get_onboarding",
        role: Some(Role::Bank),
        errors: &[ValidationFailed, NotFound],
    },
    OperationSpec {
        id: "list_security_prompts",
        role: Some(Role::Wallet),
        errors: &[ValidationFailed],
    },
    OperationSpec {
        id: "decide_security_prompt",
        role: Some(Role::Wallet),
        errors: &[
            ValidationFailed,
            NotFound,
            PromptClosed,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    },
    OperationSpec {
        id: "create_credit_application",
        role: Some(Role::Wallet),
        errors: &[
            ValidationFailed,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
            RealNameMismatch,
        ],
    },
    OperationSpec {
        id: "get_credit_application",
        role: Some(Role::Wallet),
        errors: &[ValidationFailed, NotFound],
    },
    OperationSpec {
        id: "supply_savings_card",
        role: Some(Role::Wallet),
        errors: &[
            ValidationFailed,
            NotFound,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
            NotSavingsCard,
            CardHolderMismatch,
            AlreadyBound,
            CardRefused,
        ],
    },
    OperationSpec {
        id: "list_workflows",
        role: Some(Role::Operator),
        errors: &[ValidationFailed],
    },
    OperationSpec {
        id: "cancel_workflow",
        role: Some(Role::Operator),
        errors: &[
            ValidationFailed,
            NotFound,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    },
    OperationSpec {
        id: "retry_workflow",
        role: Some(Role::Operator),
        errors: &[
            ValidationFailed,
            NotFound,
            InvalidState,
            IdempotencyKeyInUse,
            IdempotencyKeyReused,
        ],
    },
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

const DESCRIPTION: &str = "\
Onboard orchestrates account-opening sagas between banks, payment apps (wallets) and \
operators. Contract v1: paths, field names, status codes and error `code`s are stable.

* **Authentication.** `Authorization: Bearer <key>`; each key has one role (`bank`, \
`wallet`, `merchant`, `app`, `operator`) and each operation names the role it needs. \
Missing or unknown key: 401 `unauthenticated`; a key of another role: 403 `forbidden`. \
A caller sees only its own resources; another's is 404, never 403.
* **Bodies.** JSON; unknown fields are rejected with 400 `validation_failed`, whose `field` \
names the offending field. Money is `{\"amount\": \"12.50\", \"currency\": \"CNY\"}`; times \
are RFC 3339 UTC.
* **Errors.** `application/problem+json` with `type`, `title`, `status`, `detail`, `code` \
(and `field`); branch on `code`. A rejected request changes nothing.
* **Idempotency.** `POST`s that create or change something accept `Idempotency-Key`: the \
same caller, key and body get the first response again (for at least 24 h).
* **Rate limits.** Per caller; 429 `rate_limited` with `Retry-After`.
* **Workflows.** Every saga is exposed as a `Workflow`; its `GET` accepts `?wait=<seconds>` \
(at most 30) to be held until it is `waiting` or final.";

/// The document's static part; [`Operations`] and [`Security`] complete it.
#[derive(OpenApi)]
#[openapi(
    info(title = "Onboard API", description = DESCRIPTION),
    paths(
        paths::healthz,
        paths::readyz,
        paths::metrics,
        paths::openapi_json,
        paths::create_onboarding,
        paths::get_onboarding,
        paths::list_security_prompts,
        paths::decide_security_prompt,
        paths::create_credit_application,
        paths::get_credit_application,
        paths::supply_savings_card,
        paths::list_workflows,
        paths::cancel_workflow,
        paths::retry_workflow,
    ),
    components(schemas(errors::Problem, errors::ErrorCode)),
    modifiers(&Security, &Operations),
    tags(
        (name = "onboardings", description = "Payment-account registration (role bank)."),
        (name = "security-prompts", description = "Security prompts (role wallet)."),
        (name = "credit-applications", description = "Virtual credit accounts (role wallet)."),
        (name = "admin", description = "Workflow operations (role operator)."),
        (name = "operations", description = "Health, metrics and this document (no key)."),
    ),
)]
pub struct ApiDoc;

/// Adds the bearer security scheme.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key issued per caller; the caller's role decides which \
                         operations it may use.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Adds each operation's security, role and error responses from [`OPERATIONS`].
struct Operations;

impl Modify for Operations {
    fn modify(&self, doc: &mut Document) {
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let Some(spec) = operation
                    .operation_id
                    .as_deref()
                    .and_then(|id| OPERATIONS.iter().find(|spec| spec.id == id))
                else {
                    continue;
                };
                let mut codes = spec.errors.to_vec();
                if let Some(role) = spec.role {
                    let role = role_name(role);
                    codes.extend_from_slice(AUTHENTICATED);
                    operation.security =
                        Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]);
                    let description = operation.description.take().unwrap_or_default();
                    operation.description = Some(format!(
                        "{description}\n\n**Role:** `{role}` (bearer key of a `{role}` \
                         caller; other roles get 403 `forbidden`)."
                    ));
                    operation.extensions =
                        Some(ExtensionsBuilder::new().add("x-onboard-role", role).build());
                }
                operation
                    .responses
                    .responses
                    .extend(errors::responses(&codes));
            }
        }
    }
}

/// The document.
pub fn document() -> Document {
    ApiDoc::openapi()
}

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_json()
            .expect("the OpenAPI document serialises")
    })
}

/// `GET /openapi.json`.
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(json())
}

#[cfg(test)]
mod tests;
