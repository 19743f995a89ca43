//! Virtual service accounts (seed 000), for the payment app's server: exchange a link token
//! and the user's payment account for the merchant's virtual account id, list what the
//! user linked, and revoke a virtual account.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_services::links::{Links, VirtualAccountView};
use onboard_services::{Idempotency, StoredResponse};
use onboard_workflows::domain::{PaymentAccountId, VirtualAccountId};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;

/// The body of `POST /v1/virtual-accounts`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VirtualAccountRequest)]
pub(crate) struct ExchangeBody {
    /// The user's payment account at the wallet.
    #[schema(schema_with = fields::reference)]
    payment_account_id: String,
    /// The link token the merchant's app handed over.
    #[schema(schema_with = fields::link_token)]
    link_token: String,
}

/// Query of `GET /v1/virtual-accounts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The user's payment account.
    #[param(value_type = fields::ReferenceParam, inline, required = true)]
    payment_account_id: Option<String>,
}

/// Exchanges a live link token for the merchant's virtual account id; 201.
pub async fn exchange(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    idempotency: web::Data<Idempotency>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<ExchangeBody>(&bytes)?;
    let account = PaymentAccountId::parse(&body.payment_account_id)?;
    let wallet = caller.id.clone();
    keyed
        .run(&idempotency, &caller.id, &bytes, || async move {
            let minted = links.exchange(&wallet, &account, &body.link_token).await?;
            let answer = json!({
                "virtual_account_id": minted.virtual_account_id,
                "merchant_id": minted.merchant_id,
            });
            Ok(StoredResponse::json(201, &answer))
        })
        .await
}

/// The caller's virtual accounts of a payment account, active and revoked, oldest first.
pub async fn list(
    caller: Authorized<roles::Wallet>,
    query: web::Query<ListQuery>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let raw = query.payment_account_id.as_deref().ok_or_else(|| {
        ApiError::field(
            "payment_account_id",
            "payment_account_id: the query parameter is required",
        )
    })?;
    let account = PaymentAccountId::parse(raw)?;
    let listed = links.virtual_accounts(&caller.id, &account).await?;
    let listed: Vec<_> = listed.iter().map(virtual_account_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "virtual_accounts": listed })))
}

/// Revokes the caller's virtual account; 204, also when it was already revoked.
pub async fn revoke(
    caller: Authorized<roles::Wallet>,
    path: web::Path<VirtualAccountId>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    links.revoke(&caller.id, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A virtual account as the wallet's listing shows it.
fn virtual_account_json(view: &VirtualAccountView) -> serde_json::Value {
    json!({
        "virtual_account_id": view.virtual_account_id,
        "merchant_id": view.merchant_id,
        "status": view.status.as_str(),
        "created_at": view.created_at,
    })
}
