//! Fixture and inspection endpoints: tests set up people the parties already
//! know, then look at everything the parties hold. None of this is a party
//! effect, so none of it reaches the ledger.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::history::History;
use crate::masking::mask;
use crate::pipeline;
use crate::replies::{AccountOpened, BankPerson, Done, WalletPerson};
use crate::sandbox::Sandbox;
use crate::validate;
use crate::wallet::{BindingKind, NewPerson};

/// Body of `POST /sandbox/wallet/users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewUser {
    #[schema(schema_with = validate::required_schema)]
    name: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
    #[schema(schema_with = validate::required_schema)]
    phone: String,
    history: Option<History>,
    #[schema(schema_with = validate::optional_card_number_schema)]
    savings_card_number: Option<String>,
}

/// A person the wallet knows, with an open account that no saga registered,
/// the usage history given (none reads as zeros) and, if asked, a savings card
/// bound to the account and issued to the person by the bank.
pub(crate) async fn create_user(
    sandbox: web::Data<Sandbox>,
    body: web::Json<NewUser>,
) -> Result<HttpResponse, ApiError> {
    let user = body.into_inner();
    validate::required("name", &user.name)?;
    validate::required("id_number", &user.id_number)?;
    validate::required("phone", &user.phone)?;
    let history = user.history.map(History::normalized).transpose()?;
    if let Some(card) = &user.savings_card_number {
        validate::card_number("savings_card_number", card)?;
    }
    tracing::info!(id_number = %mask(&user.id_number), "sandbox wallet user created");
    pipeline::fixture(&sandbox, |state| {
        if let Some(card) = &user.savings_card_number {
            state.bank.ensure_savings_card_free(card, &user.id_number)?;
        }
        let id_number = user.id_number.clone();
        let person = NewPerson {
            id_number: user.id_number,
            name: user.name,
            phone: user.phone,
            history,
        };
        let (id, write) = state.wallet.open_account(person, false)?;
        let mut writes = vec![write];
        if let Some(card) = &user.savings_card_number {
            let (_, write) = state.wallet.bind(&id, card, BindingKind::Savings)?;
            writes.push(write);
            writes.extend(state.bank.register_savings_card(card, &id_number)?);
        }
        Ok((
            json!(AccountOpened {
                payment_account_id: id
            }),
            writes,
        ))
    })
    .await
}

/// Body of `POST /sandbox/bank/customers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewCustomer {
    #[schema(schema_with = validate::required_schema)]
    name: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
    credit_account: bool,
}

/// A person the bank knows, optionally holding a credit account.
pub(crate) async fn create_customer(
    sandbox: web::Data<Sandbox>,
    body: web::Json<NewCustomer>,
) -> Result<HttpResponse, ApiError> {
    validate::required("name", &body.name)?;
    validate::required("id_number", &body.id_number)?;
    tracing::info!(id_number = %mask(&body.id_number), "sandbox bank customer created");
    pipeline::fixture(&sandbox, |state| {
        let write = state
            .bank
            .upsert_customer(&body.id_number, &body.name, body.credit_account);
        Ok((json!(Done {}), vec![write]))
    })
    .await
}

/// Body of `POST /sandbox/bank/savings-cards`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSavingsCard {
    #[schema(schema_with = validate::card_number_schema)]
    card_number: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
}

/// A savings card the bank issued to a person, so that `verify_savings_card`
/// accepts it for them; registering it again for the same person changes
/// nothing, for another person is refused.
pub(crate) async fn create_savings_card(
    sandbox: web::Data<Sandbox>,
    body: web::Json<NewSavingsCard>,
) -> Result<HttpResponse, ApiError> {
    validate::card_number("card_number", &body.card_number)?;
    validate::required("id_number", &body.id_number)?;
    tracing::info!(
        card_number = %mask(&body.card_number),
        id_number = %mask(&body.id_number),
        "sandbox bank savings card registered"
    );
    pipeline::fixture(&sandbox, |state| {
        let write = state
            .bank
            .register_savings_card(&body.card_number, &body.id_number)?;
        Ok((json!(Done {}), write.into_iter().collect()))
    })
    .await
}

/// Everything the wallet holds for a person, closed and removed included.
pub(crate) async fn wallet_person(
    sandbox: web::Data<Sandbox>,
    id_number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    pipeline::inspect(&sandbox, |state| {
        let accounts = state
            .wallet
            .person(&id_number)
            .map(|person| person.accounts.clone())
            .unwrap_or_default();
        json!(WalletPerson { accounts })
    })
    .await
}

/// Every credit account the bank holds for a person.
pub(crate) async fn bank_person(
    sandbox: web::Data<Sandbox>,
    id_number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    pipeline::inspect(&sandbox, |state| {
        let credit_accounts = state
            .bank
            .customer(&id_number)
            .map(|customer| customer.credit_accounts.clone())
            .unwrap_or_default();
        json!(BankPerson { credit_accounts })
    })
    .await
}
