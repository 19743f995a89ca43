//! Accounts (seed 003): a user registers once with a username and password, then logs in
//! for each app (`POST /v1/tickets`). No bearer key: the endpoint is limited per client
//! address instead.

use actix_web::{web, HttpResponse};
use onboard_services::tickets::{Password, Username};
use onboard_services::Tickets;
use serde::Deserialize;
use serde_json::json;

use crate::address_limit::AddressAdmitted;
use crate::body::{self, JsonBody};
use crate::openapi::fields;
use crate::problem::ApiError;

/// The body of `POST /v1/accounts`. No `Debug`: it holds a password.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AccountRequest)]
pub(crate) struct AccountBody {
    /// The username to log in with.
    #[schema(schema_with = fields::username)]
    username: String,
    /// The password; at least 10 characters and not easily guessed.
    #[schema(schema_with = fields::password)]
    password: String,
}

/// Creates an account: 201 `{"user_id"}`.
pub async fn create(
    _admitted: AddressAdmitted,
    JsonBody(bytes): JsonBody,
    tickets: web::Data<Tickets>,
) -> Result<HttpResponse, ApiError> {
    let body = body::parse::<AccountBody>(&bytes)?;
    let username = Username::parse(&body.username)?;
    let password = Password::parse(&body.password)?;
    let user_id = tickets.register(&username, password).await?;
    Ok(HttpResponse::Created().json(json!({ "user_id": user_id.as_str() })))
}
