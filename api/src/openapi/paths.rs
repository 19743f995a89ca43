//! The operations, one documentation-only function each (the handlers live in
//! `crate::routes`). Roles, bearer security, `Idempotency-Key` and error responses are
//! added from `super::OPERATIONS`, so they are written once.

// The functions and parameter structs exist only to carry the documentation.
#![allow(dead_code)]

use utoipa::IntoParams;

use super::fields;
use super::schemas::{
    AccountCreated, Health, Link, LinkCreated, PairedAccount, PairingCode, PromptDecision, Revoked,
    SecurityPromptList, ServiceRequestAccepted, ServiceRequestState, Ticket, Verification,
    VirtualAccountList, VirtualAccountMinted, Workflow, WorkflowHistory, WorkflowList,
};
use crate::routes::accounts::AccountBody;
use crate::routes::admin::ListQuery;
use crate::routes::credit_applications::{ApplicationBody, SavingsCardBody};
use crate::routes::links::{CompleteBody, CreateBody as LinkBody};
use crate::routes::onboardings::OnboardingBody;
use crate::routes::pairing_codes::{ClaimBody, IssueBody};
use crate::routes::security_prompts::{DecisionBody, PromptQuery};
use crate::routes::service_requests::CreateBody as ServiceRequestBody;
use crate::routes::tickets::{LoginBody, RefreshBody, VerifyBody};
use crate::routes::virtual_accounts::{ExchangeBody, ListQuery as VirtualAccountQuery};

/// The `{id}` of a workflow or prompt path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct IdPath {
    /// The workflow's id (for a decision, the prompt's); one that names nothing, or is not
    /// of an id's shape, is 404.
    #[param(value_type = fields::PathIdParam, inline)]
    id: String,
}

/// The `{id}` of a link path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct LinkIdPath {
    /// The link's id; one that names nothing, or another merchant's, is 404.
    #[param(value_type = fields::PathIdParam, inline)]
    id: String,
}

/// The `{id}` of a virtual account path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
struct VirtualAccountIdPath {
    /// The virtual account's id; one that names nothing, or another wallet's, is 404.
    #[param(value_type = fields::PathIdParam, inline)]
    id: String,
}

/// `?wait` of a workflow `GET` (the handlers read it as `routes::wait::WaitQuery`).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
struct WaitParam {
    /// Hold the answer until the workflow is `waiting` or in a final status, or this many
    /// seconds (0–30) have passed.
    #[param(value_type = Option<fields::WaitParam>, inline)]
    wait: Option<f64>,
}

/// Liveness.
///
/// 200 while the process lives. No key needed.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "The process lives.", body = Health,
        example = json!({"status": "ok"}))),
)]
fn healthz() {}

/// Readiness.
///
/// 200 only while the store answers. No key needed.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "The store answers.", body = Health,
            example = json!({"status": "ready"})),
        (status = 503, description = "The store does not answer.", body = Health,
            example = json!({"status": "store unavailable"})),
    ),
)]
fn readyz() {}

/// Prometheus metrics.
///
/// The runtime's counters and gauges in the Prometheus text exposition format:
/// `onboard_sagas_created_total`, `onboard_transitions_total`, `onboard_party_calls_total`
/// (by operation and outcome) and `onboard_live_actors`. No key needed.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text format 0.0.4.", body = String,
        content_type = "text/plain; version=0.0.4")),
)]
fn metrics() {}

/// This document.
///
/// The OpenAPI 3.1 description of the API. No key needed.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI document.", body = Object,
        content_type = "application/json")),
)]
fn openapi_json() {}

/// Start a payment-account registration.
///
/// The wallet looks the person up by id number and registers an account if there is none,
/// the bank verifies the card, the wallet binds it and, if its rule asks, a security prompt
/// is opened and the workflow waits for the person's decision. Answers at once with the
/// workflow (`202`); follow it with `GET /v1/onboardings/{id}?wait=…`.
#[utoipa::path(
    post,
    path = "/v1/onboardings",
    tag = "onboardings",
    request_body = OnboardingBody,
    responses((status = 202, description = "Started; the workflow.", body = Workflow,
        headers(("Location" = String, description = "`/v1/onboardings/{id}`")))),
)]
fn create_onboarding() {}

/// Read a payment-account registration.
///
/// On success `result` is `{"payment_account_id", "account_created", "binding_id"}`; while
/// the workflow waits for the security prompt, `result.payment_account_id` is already set.
#[utoipa::path(
    get,
    path = "/v1/onboardings/{id}",
    tag = "onboardings",
    params(IdPath, WaitParam),
    responses((status = 200, description = "The workflow.", body = Workflow)),
)]
fn get_onboarding() {}

/// List the open security prompts of a payment account.
///
/// A prompt belongs to the wallet caller whose payment app holds the account
/// (`parties.wallet.caller_id`): any other wallet caller gets an empty list.
#[utoipa::path(
    get,
    path = "/v1/security-prompts",
    tag = "security-prompts",
    params(PromptQuery),
    responses((status = 200, description = "The account's open prompts.", body = SecurityPromptList)),
)]
fn list_security_prompts() {}

/// Decide a security prompt.
///
/// `approve` lets the registration complete; `reject` makes it compensate with error
/// `security_rejected`. A decided or expired prompt answers 409 `prompt_closed`; another
/// wallet caller's prompt 404 `not_found`, as one that does not exist.
#[utoipa::path(
    post,
    path = "/v1/security-prompts/{id}/decision",
    tag = "security-prompts",
    params(IdPath),
    request_body = DecisionBody,
    responses((status = 200, description = "The decision was recorded.", body = PromptDecision)),
)]
fn decide_security_prompt() {}

/// Apply for a virtual credit account.
///
/// The partial real-name info (full name as typed, last 4–6 characters of the id number)
/// must match the wallet's record, else 422 `real_name_mismatch` and nothing is created;
/// 5 mismatches for one account within an hour answer 429 `rate_limited`. When the wallet
/// account has no savings binding the workflow waits with
/// `waiting_for.kind = "savings_account_binding"`.
#[utoipa::path(
    post,
    path = "/v1/credit-applications",
    tag = "credit-applications",
    request_body = ApplicationBody,
    responses((status = 202, description = "Started; the workflow.", body = Workflow,
        headers(("Location" = String, description = "`/v1/credit-applications/{id}`")))),
)]
fn create_credit_application() {}

/// Read a credit application.
///
/// On success `result` is `{"credit_account_id", "credit_limit", "savings_binding_id",
/// "created"}`; a person who already holds a credit account gets `created: false` and
/// that account.
#[utoipa::path(
    get,
    path = "/v1/credit-applications/{id}",
    tag = "credit-applications",
    params(IdPath, WaitParam),
    responses((status = 200, description = "The workflow.", body = Workflow)),
)]
fn get_credit_application() {}

/// Supply the savings card a waiting credit application asked for.
///
/// Answers once the bank and wallet have judged the card: 200 with the workflow, or 422
/// with the refusal's code (`not_savings_card`, `card_holder_mismatch`, …) while the
/// application keeps waiting for another card.
#[utoipa::path(
    post,
    path = "/v1/credit-applications/{id}/savings-account",
    tag = "credit-applications",
    params(IdPath),
    request_body = SavingsCardBody,
    responses((status = 200, description = "The card was accepted; the workflow.", body = Workflow)),
)]
fn supply_savings_card() {}

/// Issue a pairing code.
///
/// A short code the user shows and a second user nearby types. It differs from every live
/// code whose range overlaps this one (centres closer than `2 × radius_m`); the account's
/// live code, if any, is replaced. The wallet is asked for the holder's display name, kept
/// masked with the code. An account the wallet does not know (or has closed): 404
/// `not_found`. Every code taken near this place: 503 `codes_exhausted` with
/// `Retry-After`.
#[utoipa::path(
    post,
    path = "/v1/pairing-codes",
    tag = "pairing-codes",
    request_body = IssueBody,
    responses((status = 201, description = "The code issued.", body = PairingCode)),
)]
fn create_pairing_code() {}

/// Claim a pairing code.
///
/// The claimant must stand within the issuer's range (great-circle distance) and may not
/// be the issuer; the code must be live and unused. The answer gives the issuer's account
/// and masked display name, once. A wrong, used, expired, far or own code: the same 404
/// `code_not_found`. After 5 failed claims by one account within 10 minutes, its claims
/// answer 429 `rate_limited` with `Retry-After`.
#[utoipa::path(
    post,
    path = "/v1/pairing-codes/claim",
    tag = "pairing-codes",
    request_body = ClaimBody,
    responses((status = 200, description = "The issuer's account.", body = PairedAccount)),
)]
fn claim_pairing_code() {}

/// Create an account link.
///
/// The merchant links its user account to a virtual service account id: it hands the
/// `link_token` (single use, `links.token_ttl_secs`, default 10 minutes) to its app, which
/// passes it to the wallet app; the wallet exchanges it for the virtual id.
#[utoipa::path(
    post,
    path = "/v1/links",
    tag = "links",
    request_body = LinkBody,
    responses((status = 201, description = "The pending link and its token.", body = LinkCreated,
        headers(("Location" = String, description = "`/v1/links/{id}`")))),
)]
fn create_link() {}

/// Read an account link.
///
/// `pending` until completed (or `expired` once its token lapsed unused), `linked` once
/// completed, `revoked` once the wallet revoked its virtual account.
#[utoipa::path(
    get,
    path = "/v1/links/{id}",
    tag = "links",
    params(LinkIdPath),
    responses((status = 200, description = "The link.", body = Link)),
)]
fn get_link() {}

/// Complete an account link.
///
/// With the virtual account id the user's terminal brought back from the wallet. One not
/// minted for this link: 422 `virtual_account_mismatch`. Completing twice is completing
/// once.
#[utoipa::path(
    post,
    path = "/v1/links/{id}/complete",
    tag = "links",
    params(LinkIdPath),
    request_body = CompleteBody,
    responses((status = 200, description = "The linked link.", body = Link)),
)]
fn complete_link() {}

/// Exchange a link token for a virtual account id.
///
/// For the user's terminal: the merchant's virtual account for the payment account, the
/// one it already holds while it is not revoked, else a new random one (never derived from
/// the account). An unknown, used, expired or malformed token: 404 `link_not_found`.
#[utoipa::path(
    post,
    path = "/v1/virtual-accounts",
    tag = "virtual-accounts",
    request_body = ExchangeBody,
    responses((status = 201, description = "The virtual account.", body = VirtualAccountMinted)),
)]
fn exchange_link_token() {}

/// List a payment account's virtual accounts.
///
/// What the user linked, active and revoked, oldest first: for the wallet's settings
/// screen.
#[utoipa::path(
    get,
    path = "/v1/virtual-accounts",
    tag = "virtual-accounts",
    params(VirtualAccountQuery),
    responses((status = 200, description = "The virtual accounts.", body = VirtualAccountList)),
)]
fn list_virtual_accounts() {}

/// Revoke a virtual account.
///
/// From now on service requests with it answer 410 `virtual_account_revoked` and its links
/// read `revoked`; requests accepted before finish. Revoking twice is revoking once.
#[utoipa::path(
    delete,
    path = "/v1/virtual-accounts/{id}",
    tag = "virtual-accounts",
    params(VirtualAccountIdPath),
    responses((status = 204, description = "Revoked.")),
)]
fn revoke_virtual_account() {}

/// Send a service request with a virtual account id.
///
/// Runs as a workflow of kind `service_request` that has the wallet charge the real
/// account behind the id. A revoked virtual account: 410 `virtual_account_revoked`;
/// another merchant's: 404.
#[utoipa::path(
    post,
    path = "/v1/service-requests",
    tag = "service-requests",
    request_body = ServiceRequestBody,
    responses((status = 201, description = "Accepted.", body = ServiceRequestAccepted,
        headers(("Location" = String, description = "`/v1/service-requests/{id}`")))),
)]
fn create_service_request() {}

/// Read a service request.
///
/// `accepted` until the wallet answered, then `completed` or `rejected` (with `error`, e.g.
/// `insufficient_funds`).
#[utoipa::path(
    get,
    path = "/v1/service-requests/{id}",
    tag = "service-requests",
    params(IdPath, WaitParam),
    responses((status = 200, description = "The service request.", body = ServiceRequestState)),
)]
fn get_service_request() {}

/// List workflows.
///
/// Newest first, optionally filtered by status, kind and whether they are paused.
#[utoipa::path(
    get,
    path = "/v1/admin/workflows",
    tag = "admin",
    params(ListQuery),
    responses((status = 200, description = "The matching workflows.", body = WorkflowList)),
)]
fn list_workflows() {}

/// Cancel a workflow.
///
/// Compensates a `running`, paused or `waiting` workflow: every effect it made is undone.
/// A step whose call may have been applied is first resolved (its call replayed under the
/// same idempotency key), then undone. Answers within 2 seconds, even while a call is
/// being retried. Other statuses answer 409 `invalid_state`.
#[utoipa::path(
    post,
    path = "/v1/admin/workflows/{id}/cancel",
    tag = "admin",
    params(IdPath),
    responses((status = 200, description = "Compensation started; the workflow.", body = Workflow)),
)]
fn cancel_workflow() {}

/// Retry a failed workflow.
///
/// Resumes the compensation of a `failed` workflow. Other statuses answer 409 `invalid_state`.
#[utoipa::path(
    post,
    path = "/v1/admin/workflows/{id}/retry",
    tag = "admin",
    params(IdPath),
    responses((status = 200, description = "Compensation resumed; the workflow.", body = Workflow)),
)]
fn retry_workflow() {}

/// Pause a workflow.
///
/// The workflow makes no further party call until it is resumed (a call already sent
/// finishes and is recorded); it shows `paused: true`. A final workflow answers 409
/// `invalid_state`.
#[utoipa::path(
    post,
    path = "/v1/admin/workflows/{id}/pause",
    tag = "admin",
    params(IdPath),
    responses((status = 200, description = "Paused; the workflow.", body = Workflow)),
)]
fn pause_workflow() {}

/// Resume a workflow.
///
/// Drives a paused workflow again, with a fresh attempt budget for its next call. A final
/// workflow answers 409 `invalid_state`.
#[utoipa::path(
    post,
    path = "/v1/admin/workflows/{id}/resume",
    tag = "admin",
    params(IdPath),
    responses((status = 200, description = "Driving again; the workflow.", body = Workflow)),
)]
fn resume_workflow() {}

/// A workflow's history.
///
/// Every transition and every party-call attempt with its outcome, oldest first; no
/// personal data.
#[utoipa::path(
    get,
    path = "/v1/admin/workflows/{id}/history",
    tag = "admin",
    params(IdPath),
    responses((status = 200, description = "The events, oldest first.", body = WorkflowHistory)),
)]
fn workflow_history() {}
/// Create an account.
///
/// A user registers once, then logs in for each app. The password must have at least 10
/// characters and not be easily guessed (a common password, a keyboard walk, the username):
/// 422 `weak_password` otherwise; a taken username is 409 `username_taken`. No key needed;
/// limited per client address (`tickets.address_per_second`).
#[utoipa::path(
    post,
    path = "/v1/accounts",
    tag = "tickets",
    request_body = AccountBody,
    responses((status = 201, description = "Created.", body = AccountCreated)),
)]
fn create_account() {}

/// Log in for an app: a ticket.
///
/// Issues a ticket (user id, authorization key, refresh key) for the app whose resource
/// server has the caller id `app_id`, replacing the user's earlier ticket of that app.
/// Wrong credentials, or an unknown username, are 401 `invalid_credentials`; after 10
/// consecutive failures for one username, attempts are 429 `rate_limited` with
/// `Retry-After` until the lockout passes (it doubles with each further failure). No key
/// needed; limited per client address.
#[utoipa::path(
    post,
    path = "/v1/tickets",
    tag = "tickets",
    request_body = LoginBody,
    responses((status = 201, description = "The ticket.", body = Ticket,
        headers(("Cache-Control" = String, description = "`no-store`")))),
)]
fn create_ticket() {}

/// Verify a ticket (the app's resource server).
///
/// 200 when `authorization_key` is the current, unexpired authorization key of the user's
/// ticket for the calling app; 401 `ticket_expired` once it expired, 401 `ticket_invalid`
/// otherwise (unknown, replaced by a refresh, revoked, or issued to another app). On
/// either, the client refreshes its ticket.
#[utoipa::path(
    post,
    path = "/v1/tickets/verify",
    tag = "tickets",
    request_body = VerifyBody,
    responses((status = 200, description = "The ticket is valid for the caller.", body = Verification)),
)]
fn verify_ticket() {}

/// Refresh a ticket.
///
/// Rotates both keys: the answer is a new ticket, and the old keys stop working. An
/// unknown refresh key is 401 `ticket_invalid`, an expired one 401 `ticket_expired`. A
/// refresh key that was already used is 401 `refresh_key_reused` and revokes every ticket
/// of its family, the newest included (RFC 9700 refresh-token rotation): of two refreshes
/// with one key, one gets the new ticket and the other revokes it. No key needed; limited
/// per client address.
#[utoipa::path(
    post,
    path = "/v1/tickets/refresh",
    tag = "tickets",
    request_body = RefreshBody,
    responses((status = 201, description = "The new ticket.", body = Ticket,
        headers(("Cache-Control" = String, description = "`no-store`")))),
)]
fn refresh_ticket() {}

/// Revoke a ticket (log out).
///
/// Revokes the family of the ticket whose refresh key (current or earlier) is given; a
/// key the family never had is 401 `ticket_invalid`. No key needed; limited per client
/// address.
#[utoipa::path(
    post,
    path = "/v1/tickets/revoke",
    tag = "tickets",
    request_body = RefreshBody,
    responses((status = 200, description = "The family is revoked.", body = Revoked)),
)]
fn revoke_ticket() {}
