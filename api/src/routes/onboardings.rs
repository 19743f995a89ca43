//! Payment-account registration (seed 001), for banks: `POST /v1/onboardings` and
//! `GET /v1/onboardings/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::Engine;
use onboard_services::Idempotency;
use onboard_workflows::domain::{CardNumber, IdNumber, ParseError, PersonName, Phone};
use onboard_workflows::payment_account_registration::{Registration, RegistrationRequest};
use onboard_workflows::{AnySaga, SagaKind};
use serde::Deserialize;

use super::wait::{owned_view, WaitQuery};
use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::{accepted, replay, request_key};
use crate::problem::ApiError;
use crate::settings::SagaParams;

/// The body of `POST /v1/onboardings`, before parsing into domain types.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OnboardingRequest)]
pub(crate) struct OnboardingBody {
    /// The bank's own reference for the person: 1–128 printable characters.
    #[schema(example = "bank-user-42")]
    bank_user_ref: String,
    /// Full name as on the id card: 1–64 characters.
    #[schema(example = "张三")]
    name: String,
    /// 18-character PRC resident id number with a valid check character (`X` allowed last).
    #[schema(example = "110101199003074514")]
    id_number: String,
    /// Mobile number in E.164 form.
    #[schema(example = "+8613800138000")]
    phone: String,
    /// Bank card number: 12–19 digits passing the Luhn check (spaces ignored).
    #[schema(example = "6222021234567890128")]
    card_number: String,
}

impl OnboardingBody {
    fn parse(self) -> Result<RegistrationRequest, ApiError> {
        Ok(RegistrationRequest {
            bank_user_ref: body::reference("bank_user_ref", &self.bank_user_ref)?,
            name: PersonName::parse(&self.name).map_err(invalid)?,
            id_number: IdNumber::parse(&self.id_number).map_err(invalid)?,
            phone: Phone::parse(&self.phone).map_err(invalid)?,
            card_number: CardNumber::parse(&self.card_number).map_err(invalid)?,
        })
    }
}

fn invalid(error: ParseError) -> ApiError {
    ApiError::field(error.field, error.to_string())
}

/// Starts a registration saga; answers 202 with the workflow.
pub async fn create(
    caller: Authorized<roles::Bank>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
    params: web::Data<SagaParams>,
) -> Result<HttpResponse, ApiError> {
    let key = request_key(&req)?;
    let request = body::parse::<OnboardingBody>(&bytes)?.parse()?;
    let id = idempotency.resource_id("wf", &caller.id, key.as_deref());
    let saga = AnySaga::PaymentAccountRegistration(Registration::start(
        request,
        params.security_prompt_ttl_secs,
    ));
    idempotency
        .run(
            &caller.id,
            key.as_deref(),
            "POST /v1/onboardings",
            &bytes,
            || async {
                let (view, _) = engine.create(&id, &caller.id, saga).await?;
                Ok(accepted(&view, "/v1/onboardings"))
            },
        )
        .await
        .map(replay)
}

/// The workflow, optionally held until it waits or is final.
pub async fn get(
    caller: Authorized<roles::Bank>,
    path: web::Path<String>,
    query: web::Query<WaitQuery>,
    engine: web::Data<Engine>,
) -> Result<HttpResponse, ApiError> {
    let view = owned_view(
        &engine,
        &caller,
        &path,
        &query,
        SagaKind::PaymentAccountRegistration,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view))
}
