//! Payment-account registration (seed 001), for banks: `POST /v1/onboardings` and
//! `GET /v1/onboardings/{id}`.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::Engine;
use onboard_services::Idempotency;
use onboard_workflows::domain::{CardNumber, IdNumber, PersonName, Phone, WorkflowId};
use onboard_workflows::payment_account_registration::{Registration, RegistrationRequest};
use onboard_workflows::{AnySaga, SagaKind};
use serde::Deserialize;

use super::start::start_workflow;
use super::wait::{owned_view, WaitQuery};
use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::Keyed;
use crate::openapi::fields;
use crate::problem::ApiError;
use crate::settings::SagaParams;

/// The body of `POST /v1/onboardings`, before parsing into domain types.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = OnboardingRequest)]
pub(crate) struct OnboardingBody {
    /// The bank's own reference for the person.
    #[schema(schema_with = fields::reference)]
    bank_user_ref: String,
    /// Full name as on the id card.
    #[schema(schema_with = fields::person_name)]
    name: String,
    /// 18-character PRC resident id number with a valid check character.
    #[schema(schema_with = fields::id_number)]
    id_number: String,
    /// Mobile number in E.164 form.
    #[schema(schema_with = fields::phone)]
    phone: String,
    /// Bank card number passing the Luhn check.
    #[schema(schema_with = fields::card_number)]
    card_number: String,
}

impl OnboardingBody {
    fn parse(self) -> Result<RegistrationRequest, ApiError> {
        Ok(RegistrationRequest {
            bank_user_ref: body::reference("bank_user_ref", &self.bank_user_ref)?,
            name: PersonName::parse(&self.name)?,
            id_number: IdNumber::parse(&self.id_number)?,
            phone: Phone::parse(&self.phone)?,
            card_number: CardNumber::parse(&self.card_number)?,
        })
    }
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
    let keyed = Keyed::of(&req)?;
    let request = body::parse::<OnboardingBody>(&bytes)?.parse()?;
    let kind = SagaKind::PaymentAccountRegistration;
    let id = idempotency.workflow_id(kind, &caller.id, keyed.key());
    let saga = AnySaga::PaymentAccountRegistration(Registration::start(
        request,
        params.security_prompt_ttl_secs,
    ));
    keyed
        .run(&idempotency, &caller.id, &bytes, || {
            start_workflow(&engine, &req, saga, &id, &caller, "/v1/onboardings")
        })
        .await
}

/// The workflow, optionally held until it waits or is final; an id that is not a workflow
/// id names no workflow (404, as for an unknown one).
pub async fn get(
    caller: Authorized<roles::Bank>,
    path: web::Path<WorkflowId>,
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
