//! `GET /openapi.json`: the OpenAPI 3.1 document of the API, generated with `utoipa`.
//!
//! Request bodies and query parameters are the handlers' own structs (`ToSchema` and
//! `IntoParams` derived in `crate::routes`), their fields' limits come from [`fields`];
//! responses are mirrored in [`schemas`]; each operation's role and error responses come
//! from [`OPERATIONS`]. The sandbox's routes are described by `onboard_sandbox` and merged
//! in.

pub mod errors;
pub mod fields;
mod operations;
mod paths;
pub mod schemas;

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use operations::Operations;
pub use operations::{
    role_name, OperationSpec, AUTHENTICATED, BEARER, CREATE_SAGA, EVERY, JSON_BODY, OPERATIONS,
};

const DESCRIPTION: &str = "\
Onboard orchestrates account-opening sagas between banks, payment apps (wallets) and \
operators, and issues per-app tickets that apps' resource servers verify. Contract v1: \
paths, field names, status codes and error `code`s are stable.

* **Authentication.** `Authorization: Bearer <key>`; each key has one role (`bank`, \
`wallet`, `merchant`, `app`, `operator`) and each operation names the role it needs; the \
account and ticket operations without a role take no key (the user's credentials \
authenticate them). \
Missing or unknown key: 401 `unauthenticated`; a key of another role: 403 `forbidden`. \
A caller sees only its own resources; another's is 404, never 403.
* **Bodies.** JSON; unknown fields are rejected with 400 `validation_failed`, whose `field` \
names the offending field. Money is `{\"amount\": \"12.50\", \"currency\": \"CNY\"}`; times \
are RFC 3339 UTC.
* **Errors.** `application/problem+json` with `type`, `title`, `status`, `detail`, `code` \
(and `field`); branch on `code`. A rejected request changes nothing.
* **Idempotency.** `POST`s that create or change something accept `Idempotency-Key`: the \
same caller, key and body get the first response again (for at least 24 h).
* **Rate limits.** Per caller, and per client address on the keyless account and ticket \
endpoints; 429 `rate_limited` with `Retry-After`.
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
        paths::create_pairing_code,
        paths::claim_pairing_code,
        paths::create_link,
        paths::get_link,
        paths::complete_link,
        paths::exchange_link_token,
        paths::list_virtual_accounts,
        paths::revoke_virtual_account,
        paths::create_service_request,
        paths::get_service_request,
        paths::list_workflows,
        paths::cancel_workflow,
        paths::retry_workflow,
        paths::pause_workflow,
        paths::resume_workflow,
        paths::workflow_history,
        paths::create_account,
        paths::create_ticket,
        paths::verify_ticket,
        paths::refresh_ticket,
        paths::revoke_ticket,
    ),
    components(schemas(errors::Problem, errors::ErrorCode)),
    modifiers(&Security, &Operations),
    servers(
        (url = "/", description = "The server that served this document."),
        (url = "http://127.0.0.1:8080", description = "`onboard serve`'s default local \
            listener."),
    ),
    tags(
        (name = "onboardings", description = "Payment-account registration (role bank)."),
        (name = "security-prompts", description = "Security prompts (role wallet)."),
        (name = "credit-applications", description = "Virtual credit accounts (role wallet)."),
        (name = "pairing-codes", description = "Proximity pairing codes (role wallet)."),
        (name = "links", description = "Account links (role merchant)."),
        (name = "virtual-accounts", description = "Virtual service accounts (role wallet)."),
        (name = "service-requests", description = "Service requests with a virtual account \
            id (role merchant)."),
        (name = "admin", description = "Workflow operations (role operator)."),
        (name = "tickets", description = "Accounts and per-app tickets (no key; verify: \
            role app)."),
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

/// The document: the API's operations, the sandbox's (in a build with the sandbox; served
/// only while it is enabled), and the errors every path may answer.
pub fn document() -> Document {
    let mut doc = ApiDoc::openapi();
    #[cfg(feature = "sandbox")]
    doc.merge(onboard_sandbox::SandboxDoc::openapi());
    operations::add_every(&mut doc);
    doc
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
mod fields_tests;
#[cfg(all(test, feature = "sandbox"))]
mod routes_tests;
#[cfg(test)]
mod tests;
