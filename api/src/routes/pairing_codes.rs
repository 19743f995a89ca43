//! Proximity pairing codes (seed 002), for the payment app's server: issue a short code
//! at a user's place, and claim one typed by a second user nearby.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_services::{Idempotency, Pairing, StoredResponse};
use onboard_workflows::domain::{GeoPoint, PairingCode, PairingOperation, PaymentAccountId};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;

/// Where a user stands, as the client reports it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Location)]
pub(crate) struct LocationBody {
    /// Latitude, degrees (WGS 84), within ±85.05112878.
    #[schema(schema_with = fields::latitude)]
    lat: f64,
    /// Longitude, degrees (WGS 84), within ±180.
    #[schema(schema_with = fields::longitude)]
    lon: f64,
}

impl LocationBody {
    fn point(&self) -> Result<GeoPoint, ApiError> {
        GeoPoint::parse(self.lat, self.lon).map_err(ApiError::from)
    }
}

/// The body of `POST /v1/pairing-codes`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PairingCodeRequest)]
pub(crate) struct IssueBody {
    /// The wallet's payment account of the user showing the code.
    #[schema(schema_with = fields::reference)]
    payment_account_id: String,
    /// Where the user stands: the centre of the code's range.
    location: LocationBody,
    /// What the two pair for, e.g. `pay` or `add_contact`.
    #[schema(schema_with = fields::pairing_operation)]
    operation: String,
}

/// The body of `POST /v1/pairing-codes/claim`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PairingClaimRequest)]
pub(crate) struct ClaimBody {
    /// The six digits the user typed.
    #[schema(schema_with = fields::pairing_code)]
    code: String,
    /// The wallet's payment account of the user typing the code.
    #[schema(schema_with = fields::reference)]
    payment_account_id: String,
    /// Where the user stands: it must lie within the issuer's range.
    location: LocationBody,
}

/// Issues a code for the account at its place, replacing the account's live one; 201.
pub async fn create(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    idempotency: web::Data<Idempotency>,
    pairing: web::Data<Pairing>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<IssueBody>(&bytes)?;
    let account = PaymentAccountId::parse(&body.payment_account_id)?;
    let at = body.location.point()?;
    let purpose = PairingOperation::parse(&body.operation)?;
    let wallet = caller.id.clone();
    keyed
        .run(&idempotency, &caller.id, &bytes, || async move {
            let issued = pairing.issue(&wallet, &account, at, purpose).await?;
            let answer = json!({
                "code": issued.code.to_string(),
                "expires_at": issued.expires_at,
                "radius_m": issued.radius_m,
            });
            Ok(StoredResponse::json(201, &answer))
        })
        .await
}

/// Claims a code typed by a user standing in its range: the issuer's masked account
/// details, once. Only codes issued through the same wallet are found. Every miss is the
/// same 404; five within ten minutes lock the claimant out (429).
pub async fn claim(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    idempotency: web::Data<Idempotency>,
    pairing: web::Data<Pairing>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<ClaimBody>(&bytes)?;
    let code = PairingCode::parse(&body.code)?;
    let account = PaymentAccountId::parse(&body.payment_account_id)?;
    let at = body.location.point()?;
    let wallet = caller.id.clone();
    keyed
        .run(&idempotency, &caller.id, &bytes, || async move {
            let paired = pairing.claim(&wallet, &account, at, code).await?;
            Ok(StoredResponse::json(200, &paired))
        })
        .await
}
