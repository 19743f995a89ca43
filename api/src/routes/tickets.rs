//! Tickets (seed 003): log in for an app, verify (the app's resource server, with its
//! key), refresh and revoke. Logging in, refreshing and revoking take no bearer key (the
//! user's credentials or refresh key authenticate) and are limited per client address.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};
use onboard_services::tickets::{Password, Ticket, TicketKey, UserId, Username};
use onboard_services::Tickets;
use serde::Deserialize;
use serde_json::json;

use crate::address_limit::AddressAdmitted;
use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::openapi::fields;
use crate::problem::ApiError;

/// The body of `POST /v1/tickets`. No `Debug`: it holds a password.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TicketRequest)]
pub(crate) struct LoginBody {
    /// The account's username.
    #[schema(schema_with = fields::username)]
    username: String,
    /// The account's password.
    #[schema(schema_with = fields::password)]
    password: String,
    /// The app to log in for: the caller id of its resource server.
    #[schema(schema_with = fields::reference)]
    app_id: String,
}

/// The body of `POST /v1/tickets/verify`. No `Debug`: it holds a key.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = VerifyRequest)]
pub(crate) struct VerifyBody {
    /// The user the client says it is.
    #[schema(schema_with = fields::user_id)]
    user_id: String,
    /// The authorization key the client presented.
    #[schema(schema_with = fields::ticket_key)]
    authorization_key: String,
}

/// The body of `POST /v1/tickets/refresh` and `POST /v1/tickets/revoke`. No `Debug`: it
/// holds a key.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RefreshRequest)]
pub(crate) struct RefreshBody {
    /// The ticket's user.
    #[schema(schema_with = fields::user_id)]
    user_id: String,
    /// The ticket's app.
    #[schema(schema_with = fields::reference)]
    app_id: String,
    /// The ticket's refresh key.
    #[schema(schema_with = fields::ticket_key)]
    refresh_key: String,
}

/// The parsed parts of a refresh or revoke body.
fn family_of(bytes: &[u8]) -> Result<(UserId, String, TicketKey), ApiError> {
    let body = body::parse::<RefreshBody>(bytes)?;
    let user_id = UserId::parse(&body.user_id)?;
    let app_id = body::reference("app_id", &body.app_id)?;
    let key = TicketKey::parse("refresh_key", &body.refresh_key)?;
    Ok((user_id, app_id, key))
}

/// 201 with a ticket; `Cache-Control: no-store`, as it carries keys (RFC 6749 §5.1).
fn issued(ticket: &Ticket) -> HttpResponse {
    HttpResponse::Created()
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .json(json!({
            "user_id": ticket.user_id.as_str(),
            "authorization_key": ticket.authorization_key.expose(),
            "refresh_key": ticket.refresh_key.expose(),
            "expires_at": ticket.expires_at,
            "refresh_expires_at": ticket.refresh_expires_at,
        }))
}

/// Logs in for an app: 201 with a new ticket of that app.
pub async fn issue(
    _admitted: AddressAdmitted,
    JsonBody(bytes): JsonBody,
    tickets: web::Data<Tickets>,
) -> Result<HttpResponse, ApiError> {
    let body = body::parse::<LoginBody>(&bytes)?;
    let username = Username::parse(&body.username)?;
    let password = Password::parse(&body.password)?;
    let app_id = body::reference("app_id", &body.app_id)?;
    let ticket = tickets.issue(&username, password, &app_id).await?;
    Ok(issued(&ticket))
}

/// Verifies a ticket for the calling app: 200 when it is that app's current one.
pub async fn verify(
    caller: Authorized<roles::App>,
    JsonBody(bytes): JsonBody,
    tickets: web::Data<Tickets>,
) -> Result<HttpResponse, ApiError> {
    let body = body::parse::<VerifyBody>(&bytes)?;
    let user_id = UserId::parse(&body.user_id)?;
    let key = TicketKey::parse("authorization_key", &body.authorization_key)?;
    let verified = tickets.verify(&caller.id, &user_id, &key).await?;
    Ok(HttpResponse::Ok().json(json!({
        "valid": true,
        "user_id": verified.user_id.as_str(),
        "app_id": verified.app_id,
        "expires_at": verified.expires_at,
    })))
}

/// Rotates both keys: 201 with the new ticket.
pub async fn refresh(
    _admitted: AddressAdmitted,
    JsonBody(bytes): JsonBody,
    tickets: web::Data<Tickets>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, app_id, key) = family_of(&bytes)?;
    let ticket = tickets.refresh(&user_id, &app_id, &key).await?;
    Ok(issued(&ticket))
}

/// Revokes the ticket's family (logs out): 200 `{"revoked": true}`.
pub async fn revoke(
    _admitted: AddressAdmitted,
    JsonBody(bytes): JsonBody,
    tickets: web::Data<Tickets>,
) -> Result<HttpResponse, ApiError> {
    let (user_id, app_id, key) = family_of(&bytes)?;
    tickets.revoke(&user_id, &app_id, &key).await?;
    Ok(HttpResponse::Ok().json(json!({ "revoked": true })))
}
