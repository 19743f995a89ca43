//! Virtual credit accounts (seed 004), for the payment app's server: apply with partial
//! real-name info, read the application, and supply a savings card when asked.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::Engine;
use onboard_services::{CardRefusals, Idempotency, RealNameGate};
use onboard_workflows::domain::{CardNumber, IdSuffix, PaymentAccountId, PersonName, WorkflowId};
use onboard_workflows::virtual_credit_account::CreditApplication;
use onboard_workflows::{AnySaga, SagaKind, SagaStatus, Signal, WaitingFor};
use serde::Deserialize;

use super::start::start_workflow;
use super::wait::{owned_view, WaitQuery};
use crate::auth::{roles, Authorized};
use crate::body::{self, JsonBody};
use crate::idempotency::{workflow, Keyed};
use crate::openapi::fields;
use crate::problem::ApiError;
use crate::settings::SagaParams;

/// How long supplying a card waits for the bank's and wallet's verdict on it.
const CARD_VERDICT_WAIT: Duration = Duration::from_secs(10);

/// The body of `POST /v1/credit-applications`: the partial real-name info the client collected.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreditApplicationRequest)]
pub(crate) struct ApplicationBody {
    /// The wallet's payment account of the applicant.
    #[schema(schema_with = fields::reference)]
    payment_account_id: String,
    /// Full name as the person typed it.
    #[schema(schema_with = fields::person_name)]
    name: String,
    /// The last 4–6 characters of the id number.
    #[schema(schema_with = fields::id_number_suffix)]
    id_number_suffix: String,
}

/// The body of `POST /v1/credit-applications/{id}/savings-account`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SavingsCardRequest)]
pub(crate) struct SavingsCardBody {
    /// The savings card to bind.
    #[schema(schema_with = fields::card_number)]
    card_number: String,
}

/// Starts a credit application when the partial real-name info matches; 202 workflow.
pub async fn create(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    JsonBody(bytes): JsonBody,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
    gate: web::Data<RealNameGate>,
    params: web::Data<SagaParams>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<ApplicationBody>(&bytes)?;
    let account = PaymentAccountId::parse(&body.payment_account_id)?;
    let name = PersonName::parse(&body.name)?;
    let suffix = IdSuffix::parse(&body.id_number_suffix)?;
    let kind = SagaKind::VirtualCreditAccount;
    let id = idempotency.workflow_id(kind, &caller.id, keyed.key());
    keyed
        .run(&idempotency, &caller.id, &bytes, || async {
            let request = gate.matched(&account, &name, &suffix).await?;
            let saga = AnySaga::VirtualCreditAccount(CreditApplication::start(
                request,
                params.savings_binding_ttl_secs,
            ));
            start_workflow(&engine, &req, saga, &id, &caller, "/v1/credit-applications").await
        })
        .await
}

/// The application, optionally held until it waits or is final.
pub async fn get(
    caller: Authorized<roles::Wallet>,
    path: web::Path<WorkflowId>,
    query: web::Query<WaitQuery>,
    engine: web::Data<Engine>,
) -> Result<HttpResponse, ApiError> {
    let view = owned_view(
        &engine,
        &caller,
        &path,
        &query,
        SagaKind::VirtualCreditAccount,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Supplies the savings card the waiting application asked for. Answers once the bank and
/// wallet have judged it: 200 with the workflow, or 422 with the refusal's code while the
/// application keeps waiting for another card. After five refused cards within an hour the
/// application takes no more cards (429), so a client cannot probe whose cards are whose.
pub async fn supply_savings_card(
    caller: Authorized<roles::Wallet>,
    req: HttpRequest,
    path: web::Path<WorkflowId>,
    JsonBody(bytes): JsonBody,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
    refusals: web::Data<CardRefusals>,
) -> Result<HttpResponse, ApiError> {
    let keyed = Keyed::of(&req)?;
    let body = body::parse::<SavingsCardBody>(&bytes)?;
    let card_number = CardNumber::parse(&body.card_number)?;
    let id = path.into_inner();
    owned_view(
        &engine,
        &caller,
        &id,
        &WaitQuery { wait: None },
        SagaKind::VirtualCreditAccount,
    )
    .await?;
    keyed
        .run(&idempotency, &caller.id, &bytes, || async {
            refusals.ensure_open(&id).await?;
            engine
                .signal(&id, Signal::SavingsCardSupplied { card_number })
                .await?;
            let view = engine
                .wait(&id, CARD_VERDICT_WAIT)
                .await?
                .ok_or(ApiError::NotFound)?;
            if view.status == SagaStatus::Waiting {
                if let Some(WaitingFor::SavingsAccountBinding {
                    last_rejection: Some(code),
                    ..
                }) = &view.waiting_for
                {
                    refusals.count_refusal(&id).await?;
                    return Err(ApiError::CardRefused(code.to_string()));
                }
            }
            Ok(workflow(&view))
        })
        .await
}
