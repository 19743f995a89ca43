//! Security prompts (seed 001), for the payment app's server: list the open prompts of an
//! account, and decide one. A prompt is its wallet caller's alone ([`PromptOwner`]):
//! another wallet caller lists none and gets 404 for a decision, as for a prompt that does
//! not exist.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::Engine;
use onboard_services::{Idempotency, StoredResponse};
use onboard_workflows::domain::{PaymentAccountId, PromptId};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;
use crate::settings::PromptOwner;

/// Query of the prompt listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PromptQuery {
    /// The payment account whose open prompts are listed.
    #[param(value_type = fields::ReferenceParam, inline, required = true)]
    payment_account_id: Option<String>,
}

/// The open prompts of one payment account, when they are the caller's.
pub async fn list(
    caller: Authorized<roles::Wallet>,
    query: web::Query<PromptQuery>,
    engine: web::Data<Engine>,
    owner: web::Data<PromptOwner>,
) -> Result<HttpResponse, ApiError> {
    let account = query
        .payment_account_id
        .as_deref()
        .map(PaymentAccountId::parse)
        .transpose()
        .map_err(|error| ApiError::field(error.field, error.to_string()))?
        .ok_or_else(|| ApiError::field("payment_account_id", "payment_account_id: is required"))?;
    let prompts = match owner.owns(&caller) {
        true => engine.open_prompts(&account).await?,
        false => Vec::new(),
    };
    Ok(HttpResponse::Ok().json(json!({ "prompts": prompts })))
}

/// The person's decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

/// The body of `POST /v1/security-prompts/{id}/decision`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PromptDecisionRequest)]
pub(crate) struct DecisionBody {
    /// What the person decided on the payment-app client.
    decision: Decision,
}

/// Approves or rejects an open prompt; a decided or expired one is 409 `prompt_closed`,
/// an id that is not a prompt id, or another wallet caller's prompt, 404.
pub async fn decide(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    path: web::Path<PromptId>,
    JsonBody(bytes): JsonBody,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
    owner: web::Data<PromptOwner>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let decision = body::parse::<DecisionBody>(&bytes).map_err(|error| match error {
        ApiError::Validation { field: None, .. } => {
            ApiError::field("decision", "decision: must be \"approve\" or \"reject\"")
        }
        other => other,
    })?;
    if !owner.owns(&caller) {
        return Err(ApiError::NotFound);
    }
    let prompt_id = path.into_inner();
    keyed
        .run(&idempotency, &caller.id, &bytes, || async {
            let approved = matches!(decision.decision, Decision::Approve);
            let view = engine.decide_prompt(&prompt_id, approved).await?;
            Ok(StoredResponse::json(
                200,
                &json!({
                    "id": prompt_id,
                    "decision": if approved { "approve" } else { "reject" },
                    "workflow_id": view.id,
                    "workflow_status": view.status,
                }),
            )
            .about_saga(view.id.to_string()))
        })
        .await
}
