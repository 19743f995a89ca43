//! Schemas of the responses. The API answers with types of other crates (`SagaView`,
//! `OpenPrompt`) or with `json!` values, so these mirror them for the document only; the
//! tests deserialise real answers into them (unknown fields denied) to keep them honest.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

/// Which saga a workflow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowKind {
    /// Bank-initiated payment-account registration and card binding.
    PaymentAccountRegistration,
    /// Wallet-initiated virtual credit account with savings-account binding.
    VirtualCreditAccount,
    /// A merchant's service request made with a virtual service account id.
    ServiceRequest,
}

/// Where a workflow stands. `compensated`: every effect the saga made was undone;
/// `failed`: undo itself could not finish and an operator must act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkflowStatus {
    /// Forward steps are being executed.
    Running,
    /// Parked until a human acts (see `waiting_for`) or its deadline passes.
    Waiting,
    /// Every forward step succeeded (final).
    Completed,
    /// Undoing the effects of forward steps after a failure.
    Compensating,
    /// Every effect the saga made was undone (final).
    Compensated,
    /// Undo could not finish; an operator must act (`POST /v1/admin/workflows/{id}/retry`).
    Failed,
}

/// The human step a `waiting` workflow needs, told apart by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum WaitingFor {
    /// A security prompt on the payment-app client (`POST /v1/security-prompts/{id}/decision`).
    SecurityPrompt {
        /// The prompt to decide on.
        #[schema(example = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-1")]
        prompt_id: String,
        /// When the prompt lapses and the workflow compensates.
        deadline: DateTime<Utc>,
    },
    /// A savings card must be supplied (`POST /v1/credit-applications/{id}/savings-account`).
    SavingsAccountBinding {
        /// When the wait lapses and the workflow compensates.
        deadline: DateTime<Utc>,
        /// The code of the last supplied card that was refused (`not_savings_card`,
        /// `card_holder_mismatch`, …), while the workflow keeps waiting; absent otherwise.
        #[serde(default)]
        #[schema(nullable = false)]
        last_rejection: Option<String>,
    },
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// The step's effect happened.
    Done,
    /// The step was refused; nothing happened.
    Failed,
    /// The step's effect happened and was undone.
    Compensated,
    /// The step was not needed.
    Skipped,
}

/// One line of a workflow's step history.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's stable name, e.g. `lookup_person`, `register_payment_account`,
    /// `verify_card`, `bind_card`, `security_rule`, `credit_account_lookup`,
    /// `savings_status`, `verify_savings_card`, `bind_savings_card`, `create_credit_account`.
    #[schema(example = "register_payment_account")]
    pub name: String,
    /// How it ended (updated to `compensated` when its undo finishes).
    pub status: StepStatus,
    /// When it reached that status.
    pub at: DateTime<Utc>,
}

/// Why a workflow did not complete.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowError {
    /// Stable snake_case code, e.g. `security_rejected`, `security_timeout`,
    /// `card_declined`, `savings_binding_timeout`, `cancelled`, or `<step>_refused`.
    #[schema(example = "card_declined")]
    pub code: String,
    /// Human-readable explanation, free of personal data.
    pub detail: String,
}

/// Money: a decimal string with two decimals and an ISO 4217 currency code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Non-negative decimal string with exactly two decimals.
    #[schema(example = "5000.00", pattern = r"^[0-9]+\.[0-9]{2}$")]
    pub amount: String,
    /// ISO 4217 code.
    #[schema(example = "CNY", pattern = "^[A-Z]{3}$")]
    pub currency: String,
}

/// The result of a `payment_account_registration` workflow. While it waits for the
/// security prompt, `payment_account_id` is already set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationResult {
    /// The person's payment account at the wallet.
    #[schema(example = "pa_3f9c0e7b1d2a4c5e8f6a7b9c")]
    pub payment_account_id: String,
    /// Whether this workflow registered the account (otherwise it already existed).
    pub account_created: bool,
    /// The card binding, once made.
    #[schema(required)]
    pub binding_id: Option<String>,
}

/// The result of a `virtual_credit_account` workflow.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditApplicationResult {
    /// The person's credit account at the bank.
    pub credit_account_id: String,
    /// Its limit, derived by the bank from the person's history.
    pub credit_limit: Money,
    /// The savings binding it draws on; null when the person already held the account.
    #[schema(required)]
    pub savings_binding_id: Option<String>,
    /// Whether this workflow created the credit account (`false`: the existing one).
    pub created: bool,
}

/// A workflow's kind-specific result.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum WorkflowResult {
    /// `kind = payment_account_registration`.
    Registration(RegistrationResult),
    /// `kind = virtual_credit_account`.
    CreditApplication(CreditApplicationResult),
}

/// A saga as callers see it. `waiting_for`, `result` and `error` are always present,
/// `null` when not applicable.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    /// Workflow id.
    #[schema(example = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")]
    pub id: String,
    /// Which saga it runs.
    pub kind: WorkflowKind,
    /// Where it stands.
    pub status: WorkflowStatus,
    /// The open human step while `status` is `waiting`, else null.
    #[schema(required)]
    pub waiting_for: Option<WaitingFor>,
    /// Step history, oldest first.
    pub steps: Vec<Step>,
    /// Kind-specific result, once known.
    #[schema(required)]
    pub result: Option<WorkflowResult>,
    /// Why it did not complete (`compensated`, `failed`), else null.
    #[schema(required)]
    pub error: Option<WorkflowError>,
    /// Whether it waits for an operator (`pause`, or a call whose retries ran out) before
    /// its next party call.
    pub paused: bool,
    /// The party call now being retried, else null.
    #[schema(required)]
    pub retrying: Option<Retrying>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last transition.
    pub updated_at: DateTime<Utc>,
}

/// A party call that got no definite answer and is retried under the same key.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retrying {
    /// The step whose call is retried.
    #[schema(example = "bind_card")]
    pub step: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// What the last attempt got.
    pub last_error: CallError,
    /// When the next attempt is due; null while the workflow is paused.
    #[schema(required)]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// Why a party call attempt got no definite answer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallError {
    /// `party_unreachable` (timeout, connection), `party_unavailable` (5xx, 408, 409
    /// `request_in_progress`, 425, 429) or `party_unexpected` (another 4xx, an unreadable
    /// success).
    #[schema(example = "party_unavailable")]
    pub code: String,
    /// What happened, free of personal data.
    #[schema(example = "party answered 503")]
    pub detail: String,
}

/// `GET /v1/admin/workflows/{id}/history`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowHistory {
    /// Oldest first.
    pub events: Vec<WorkflowEvent>,
}

/// One transition or party-call attempt of a workflow.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened: `created`, `outcome`, `attempt_failed`, `retries_exhausted`,
    /// `cancel`, `retry`, `security_decision`, `paused`, `resumed`, `deadline`, …
    #[serde(rename = "type")]
    #[schema(example = "attempt_failed")]
    pub kind: String,
    /// The step concerned, else null.
    #[schema(required)]
    pub step: Option<String>,
    /// The party-call attempt it records (1 for the first), else null.
    #[schema(required)]
    pub attempt: Option<u32>,
    /// How that attempt ended: `succeeded`, `refused`, `transient`, `unexpected`; else null.
    #[schema(required)]
    pub outcome: Option<String>,
    /// A refusal code or an error's description, else null.
    #[schema(required)]
    pub detail: Option<String>,
    /// The workflow's status after it.
    pub status: WorkflowStatus,
}

/// `GET /v1/admin/workflows`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowList {
    /// Matching workflows, newest first.
    pub workflows: Vec<Workflow>,
}

/// An open security prompt.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityPrompt {
    /// Prompt id, for `POST /v1/security-prompts/{id}/decision`.
    #[schema(example = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-1")]
    pub id: String,
    /// The workflow waiting on it.
    pub workflow_id: String,
    /// The account it concerns.
    pub payment_account_id: String,
    /// Why the person is asked.
    #[schema(example = "card_binding_confirmation")]
    pub reason: String,
    /// When it lapses.
    pub expires_at: DateTime<Utc>,
}

/// `GET /v1/security-prompts`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityPromptList {
    /// The account's open prompts.
    pub prompts: Vec<SecurityPrompt>,
}

/// The answer to a prompt decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromptDecision {
    /// The prompt decided.
    pub id: String,
    /// The decision recorded.
    pub decision: crate::routes::security_prompts::Decision,
    /// The workflow that waited on it.
    pub workflow_id: String,
    /// The workflow's status right after the decision.
    pub workflow_status: WorkflowStatus,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// `ok` (healthz), `ready` or `store unavailable` (readyz).
    #[schema(example = "ok")]
    pub status: String,
}

/// `POST /v1/accounts`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountCreated {
    /// The new account's user id (random; it tells nothing about the user).
    #[schema(example = "usr_5f0c3e9a7b1d4c2e8f6a0b9d7c5e3a1f")]
    pub user_id: String,
}

/// A ticket for one app: `POST /v1/tickets` and `POST /v1/tickets/refresh`. Sent with
/// `Cache-Control: no-store`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// The user.
    #[schema(example = "usr_5f0c3e9a7b1d4c2e8f6a0b9d7c5e3a1f")]
    pub user_id: String,
    /// Sent to the app's resource server with `user_id`; it verifies the pair with
    /// `POST /v1/tickets/verify`. 256 random bits, base64url.
    pub authorization_key: String,
    /// Sent to `POST /v1/tickets/refresh` when the app reports a ticket error; usable once.
    pub refresh_key: String,
    /// When the authorization key expires (`tickets.authorization_ttl_secs`).
    pub expires_at: DateTime<Utc>,
    /// When the refresh key expires (`tickets.refresh_ttl_secs`).
    pub refresh_expires_at: DateTime<Utc>,
}

/// `POST /v1/tickets/verify`: the ticket is valid for the calling app.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// Always `true`: an invalid ticket is a 401 problem.
    pub valid: bool,
    /// Whose ticket it is.
    pub user_id: String,
    /// The app it was issued to: the caller.
    #[schema(example = "sandbox-app")]
    pub app_id: String,
    /// When its authorization key expires.
    pub expires_at: DateTime<Utc>,
}

/// `POST /v1/tickets/revoke`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revoked {
    /// Always `true`: the family is revoked.
    pub revoked: bool,
}

/// `POST /v1/pairing-codes`: the code issued.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingCode {
    /// Six decimal digits, unique among the live codes whose ranges overlap this one.
    #[schema(example = "042917", pattern = "^[0-9]{6}$")]
    pub code: String,
    /// When it stops being claimable.
    pub expires_at: DateTime<Utc>,
    /// The radius of its range, metres.
    #[schema(example = 500)]
    pub radius_m: u32,
}

/// `POST /v1/pairing-codes/claim`: the issuer's account, to pay or add.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairedAccount {
    /// The issuer's payment account.
    #[schema(example = "pa_3f9c0e7b1d2a4c5e8f6a7b9c")]
    pub payment_account_id: String,
    /// The holder's display name, masked: its first character, the rest `*`.
    #[schema(example = "张*")]
    pub display_name: String,
    /// What the issuer paired for.
    #[schema(example = "pay")]
    pub operation: String,
}

/// Where an account link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// Created; its token is live, or was exchanged and awaits completion.
    Pending,
    /// Completed with the virtual account.
    Linked,
    /// Its token lapsed unused.
    Expired,
    /// The wallet revoked its virtual account.
    Revoked,
}

/// An account link (`GET /v1/links/{id}`, `POST /v1/links/{id}/complete`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The link's id.
    #[schema(example = "lnk_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")]
    pub id: String,
    /// The merchant's reference of its user account.
    pub merchant_user_ref: String,
    /// Where it stands.
    pub status: LinkStatus,
    /// The virtual account, once linked (also once revoked); never the real account.
    #[schema(example = "va_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")]
    pub virtual_account_id: Option<String>,
    /// When the token lapses (or lapsed).
    pub expires_at: DateTime<Utc>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}

/// `POST /v1/links`: the pending link and its single-use token.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkCreated {
    /// The link's id.
    pub id: String,
    /// The merchant's reference of its user account.
    pub merchant_user_ref: String,
    /// Always `pending`.
    pub status: LinkStatus,
    /// Always null.
    pub virtual_account_id: Option<String>,
    /// The token for the user's wallet app: 256 random bits, single use, shown only here.
    #[schema(example = "lt_q7Jx0VvTqk3p9cS2r8FhWm1eZbYdNgAoLiKuXwHsCtE")]
    pub link_token: String,
    /// When the token lapses (`links.token_ttl_secs`).
    pub expires_at: DateTime<Utc>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Creation time.
    pub updated_at: DateTime<Utc>,
}

/// `POST /v1/virtual-accounts`: the merchant's virtual account for the payment account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VirtualAccountMinted {
    /// The virtual account id the user's terminal brings to the merchant.
    #[schema(example = "va_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")]
    pub virtual_account_id: String,
    /// The merchant of the link.
    #[schema(example = "sandbox-merchant")]
    pub merchant_id: String,
}

/// Whether a virtual account still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VirtualAccountStatus {
    /// Service requests with it are accepted.
    Active,
    /// The wallet revoked it.
    Revoked,
}

/// One virtual account of a payment account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VirtualAccount {
    /// The virtual account.
    pub virtual_account_id: String,
    /// The merchant it was minted for.
    pub merchant_id: String,
    /// Whether it still works.
    pub status: VirtualAccountStatus,
    /// When it was minted.
    pub created_at: DateTime<Utc>,
}

/// `GET /v1/virtual-accounts`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VirtualAccountList {
    /// Active and revoked, oldest first.
    pub virtual_accounts: Vec<VirtualAccount>,
}

/// `POST /v1/service-requests`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequestAccepted {
    /// The service request (a workflow of kind `service_request`).
    #[schema(example = "sr_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")]
    pub id: String,
    /// Always `accepted`.
    pub status: ServiceRequestStatus,
}

/// Where a service request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceRequestStatus {
    /// The wallet has not answered yet.
    Accepted,
    /// The wallet did it.
    Completed,
    /// The wallet refused; `error` says why.
    Rejected,
}

/// `GET /v1/service-requests/{id}`. Never carries the real payment account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequestState {
    /// The service request.
    pub id: String,
    /// Where it stands.
    pub status: ServiceRequestStatus,
    /// Why it was rejected, e.g. `insufficient_funds`.
    pub error: Option<WorkflowError>,
    /// The wallet's record of the charge, once completed.
    pub charge_id: Option<String>,
    /// When it was accepted.
    pub created_at: DateTime<Utc>,
    /// Time of the last change.
    pub updated_at: DateTime<Utc>,
}
