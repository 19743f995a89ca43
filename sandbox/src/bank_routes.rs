//! The bank's party operations, as the orchestrator's connector calls them:
//! the card checks and the credit accounts of the virtual-credit-account flow.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::bank::NewCreditAccount;
use crate::credit_limit::credit_limit_cents;
use crate::error::ApiError;
use crate::history::History;
use crate::operation::Operation;
use crate::pipeline::{self, Applied};
use crate::replies::{CreditAccountOpened, CreditLookup, Done, Verified};
use crate::sandbox::Sandbox;
use crate::validate;

/// Cards the bank always declines, so tests can drive the decline path.
const DECLINED_CARD_PREFIX: &str = "4000000000000002";

/// Body of `POST /sandbox/bank/verify_card` and `…/verify_savings_card`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CardCheck {
    #[schema(schema_with = validate::card_number_schema)]
    card_number: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
}

/// The bank confirms that a card belongs to the person; not an effect.
pub(crate) async fn verify_card(
    sandbox: web::Data<Sandbox>,
    body: web::Json<CardCheck>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::VerifyCard, |_| {
        if body.card_number.starts_with(DECLINED_CARD_PREFIX) {
            return Err(ApiError::Declined);
        }
        validate::card_number("card_number", &body.card_number)?;
        validate::required("id_number", &body.id_number)?;
        Ok(json!(Verified { verified: true }))
    })
    .await
}

/// The bank confirms that a card is a savings card it issued to the person:
/// one registered by a fixture (`POST /sandbox/bank/savings-cards`, or
/// `savings_card_number` of `POST /sandbox/wallet/users`). Not an effect.
pub(crate) async fn verify_savings_card(
    sandbox: web::Data<Sandbox>,
    body: web::Json<CardCheck>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::VerifySavingsCard, |state| {
        validate::card_number("card_number", &body.card_number)?;
        validate::required("id_number", &body.id_number)?;
        state
            .bank
            .check_savings_card(&body.card_number, &body.id_number)?;
        Ok(json!(Verified { verified: true }))
    })
    .await
}

/// Body of `POST /sandbox/bank/credit_account_lookup`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RealName {
    #[schema(schema_with = validate::required_schema)]
    name: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
}

/// The person's active credit account, if any, found by id number; not an
/// effect.
pub(crate) async fn credit_account_lookup(
    sandbox: web::Data<Sandbox>,
    body: web::Json<RealName>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::CreditAccountLookup, |state| {
        validate::required("name", &body.name)?;
        validate::required("id_number", &body.id_number)?;
        let account = state.bank.active_credit_account(&body.id_number);
        Ok(json!(CreditLookup {
            credit_account_id: account.map(|account| account.credit_account_id.clone()),
            credit_limit: account.map(|account| account.credit_limit.clone()),
        }))
    })
    .await
}

/// Body of `POST /sandbox/bank/create_credit_account`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateCreditAccount {
    #[schema(schema_with = validate::required_schema)]
    name: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
    #[schema(schema_with = validate::required_schema)]
    payment_account_id: String,
    #[schema(schema_with = validate::required_schema)]
    savings_binding_id: String,
    history: History,
}

/// Opens a credit account with the limit the history earns (see
/// [`credit_limit_cents`]) for a person who holds no active one.
pub(crate) async fn create_credit_account(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<CreateCreditAccount>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(
        &sandbox,
        &http,
        Operation::CreateCreditAccount,
        &*body,
        |state| {
            validate::required("name", &body.name)?;
            validate::required("id_number", &body.id_number)?;
            validate::required("payment_account_id", &body.payment_account_id)?;
            validate::required("savings_binding_id", &body.savings_binding_id)?;
            let history = body.history.clone().normalized()?;
            let (account, write) = state.bank.open_credit_account(NewCreditAccount {
                id_number: body.id_number.clone(),
                name: body.name.clone(),
                payment_account_id: body.payment_account_id.clone(),
                savings_binding_id: body.savings_binding_id.clone(),
                credit_limit_cents: credit_limit_cents(&history),
            })?;
            let reply = json!(CreditAccountOpened {
                credit_account_id: account.credit_account_id.clone(),
                credit_limit: account.credit_limit,
            });
            Ok(Applied::changed(reply, account.credit_account_id, write))
        },
    )
    .await
}

/// Body of `POST /sandbox/bank/close_credit_account`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreditAccountRef {
    credit_account_id: String,
}

/// Closes a credit account (the undo of `create_credit_account`); closing a
/// closed one changes nothing.
pub(crate) async fn close_credit_account(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<CreditAccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(
        &sandbox,
        &http,
        Operation::CloseCreditAccount,
        &*body,
        |state| {
            let id = &body.credit_account_id;
            Ok(match state.bank.close_credit_account(id)? {
                Some(write) => Applied::changed(json!(Done {}), id.clone(), write),
                None => Applied::unchanged(json!(Done {})),
            })
        },
    )
    .await
}
