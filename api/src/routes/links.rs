//! Account links (seed 000), for the merchant's server: create a link and hand its token
//! to the user's wallet app, read it, and complete it with the virtual account id the
//! user's terminal brings back.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_services::links::{LinkView, Links};
use onboard_services::{Idempotency, StoredResponse};
use onboard_workflows::domain::{LinkId, VirtualAccountId};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;

/// The body of `POST /v1/links`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LinkRequest)]
pub(crate) struct CreateBody {
    /// The merchant's own reference of its user account.
    #[schema(schema_with = fields::reference)]
    merchant_user_ref: String,
}

/// The body of `POST /v1/links/{id}/complete`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LinkCompletion)]
pub(crate) struct CompleteBody {
    /// The virtual account id the user's terminal brought back from the wallet.
    #[schema(schema_with = fields::virtual_account_id)]
    virtual_account_id: String,
}

/// Creates a pending link; 201 with the link and its single-use token, shown this once.
pub async fn create(
    caller: Authorized<roles::Merchant>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    idempotency: web::Data<Idempotency>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<CreateBody>(&bytes)?;
    let user_ref = body::reference("merchant_user_ref", &body.merchant_user_ref)?;
    let merchant = caller.id.clone();
    keyed
        .run(&idempotency, &caller.id, &bytes, || async move {
            let (link, token) = links.create(&merchant, &user_ref).await?;
            let mut answer = link_json(&link);
            answer["link_token"] = json!(token.expose());
            Ok(StoredResponse::json(201, &answer)
                .with_header("location", format!("/v1/links/{}", link.id)))
        })
        .await
}

/// The caller's link; another merchant's is 404.
pub async fn get(
    caller: Authorized<roles::Merchant>,
    path: web::Path<LinkId>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let link = links.link(&caller.id, &path).await?;
    Ok(HttpResponse::Ok().json(link_json(&link)))
}

/// Completes the link with the virtual account the wallet minted for it; 200 the link.
pub async fn complete(
    caller: Authorized<roles::Merchant>,
    req: HttpRequest,
    path: web::Path<LinkId>,
    JsonBody(bytes): JsonBody,
    idempotency: web::Data<Idempotency>,
    links: web::Data<Links>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<CompleteBody>(&bytes)?;
    let virtual_account = VirtualAccountId::parse(&body.virtual_account_id)?;
    let (merchant, id) = (caller.id.clone(), path.into_inner());
    keyed
        .run(&idempotency, &caller.id, &bytes, || async move {
            let link = links.complete(&merchant, &id, &virtual_account).await?;
            Ok(StoredResponse::json(200, &link_json(&link)))
        })
        .await
}

/// A link as API.md's link resource.
fn link_json(link: &LinkView) -> Value {
    json!({
        "id": link.id,
        "merchant_user_ref": link.merchant_user_ref,
        "status": link.status.as_str(),
        "virtual_account_id": link.virtual_account_id,
        "expires_at": link.expires_at,
        "created_at": link.created_at,
        "updated_at": link.updated_at,
    })
}
