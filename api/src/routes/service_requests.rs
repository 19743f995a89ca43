//! Service requests with a virtual account id (seed 000), for the merchant's server: each
//! runs as a `service_request` workflow that has the wallet charge the real account behind
//! the id. No answer to the merchant carries the real account.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::{Engine, SagaView};
use onboard_services::links::Links;
use onboard_services::{Idempotency, StoredResponse};
use onboard_workflows::domain::{Money, VirtualAccountId, WorkflowId};
use onboard_workflows::service_request::{ServiceOperation, ServiceRequest, ServiceRequestOrder};
use onboard_workflows::{AnySaga, SagaKind, SagaStatus};
use serde::Deserialize;
use serde_json::{json, Value};

use super::wait::{owned_view, WaitQuery};
use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;
use crate::traceparent;

/// An amount as the request carries it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PaymentAmount)]
pub(crate) struct AmountBody {
    /// Above zero, at most two decimals, e.g. `12.50`.
    #[schema(schema_with = fields::payment_amount)]
    amount: String,
    /// Three upper-case letters, e.g. `CNY`.
    #[schema(schema_with = fields::currency)]
    currency: String,
}

/// The body of `POST /v1/service-requests`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ServiceRequestBody)]
pub(crate) struct CreateBody {
    /// The virtual account the merchant holds for its user.
    #[schema(schema_with = fields::virtual_account_id)]
    virtual_account_id: String,
    /// What to do: `charge`.
    #[schema(schema_with = fields::service_operation)]
    operation: String,
    /// How much.
    amount: AmountBody,
}

/// Accepts a service request with the caller's active virtual account and starts its
/// workflow; 201 `accepted`. A revoked virtual account is 410, another merchant's 404.
pub async fn create(
    caller: Authorized<roles::Merchant>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<CreateBody>(&bytes)?;
    let virtual_account = VirtualAccountId::parse(&body.virtual_account_id)?;
    let service = ServiceOperation::parse(&body.operation)?;
    let amount = Money::positive(&body.amount.amount, &body.amount.currency)?;
    let id = idempotency.workflow_id(SagaKind::ServiceRequest, &caller.id, keyed.key());
    keyed
        .run(&idempotency, &caller.id, &bytes, || async {
            let account = links.resolve(&caller.id, &virtual_account).await?;
            let order = ServiceRequestOrder {
                merchant_id: caller.id.to_string(),
                virtual_account_id: virtual_account.clone(),
                payment_account_id: account,
                operation: service,
                amount: amount.clone(),
            };
            let saga = AnySaga::ServiceRequest(ServiceRequest::start(order));
            let (view, _) = engine
                .create(&id, &caller.id, saga, traceparent::of(&req))
                .await?;
            let answer = json!({ "id": view.id, "status": "accepted" });
            Ok(StoredResponse::json(201, &answer)
                .with_header("location", format!("/v1/service-requests/{}", view.id)))
        })
        .await
}

/// The caller's service request, optionally held until it is final.
pub async fn get(
    caller: Authorized<roles::Merchant>,
    path: web::Path<WorkflowId>,
    query: web::Query<WaitQuery>,
    engine: web::Data<Engine>,
) -> Result<HttpResponse, ApiError> {
    let view = owned_view(&engine, &caller, &path, &query, SagaKind::ServiceRequest).await?;
    Ok(HttpResponse::Ok().json(service_request_json(&view)))
}

/// A service request as API.md shows it to the merchant: `accepted` until the wallet
/// answered, then `completed` or `rejected`.
fn service_request_json(view: &SagaView) -> Value {
    let status = match view.status {
        SagaStatus::Completed => "completed",
        SagaStatus::Compensated | SagaStatus::Failed => "rejected",
        SagaStatus::Running | SagaStatus::Waiting | SagaStatus::Compensating => "accepted",
    };
    json!({
        "id": view.id,
        "status": status,
        "error": view.error,
        "charge_id": view.result.as_ref().and_then(|result| result.get("charge_id")),
        "created_at": view.created_at,
        "updated_at": view.updated_at,
    })
}
