//! The wallet's party operations, as the orchestrator's connector calls them.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::operation::Operation;
use crate::pipeline::{self, Applied};
use crate::replies::{AccountOpened, AccountProfile, Bound, Done, PersonLookup, SecurityRule};
use crate::sandbox::Sandbox;
use crate::validate;
use crate::wallet::{BindingKind, NewPerson};

/// Body of `POST /sandbox/wallet/lookup_person`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LookupPerson {
    id_number: String,
}

/// The person's open payment account, if any; not an effect.
pub(crate) async fn lookup_person(
    sandbox: web::Data<Sandbox>,
    body: web::Json<LookupPerson>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::LookupPerson, |state| {
        let account = state.wallet.open_account_of(&body.id_number);
        Ok(json!(PersonLookup {
            payment_account_id: account.map(|a| a.payment_account_id.clone()),
        }))
    })
    .await
}

/// Body of `POST /sandbox/wallet/register_account`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegisterAccount {
    #[schema(schema_with = validate::required_schema)]
    name: String,
    #[schema(schema_with = validate::required_schema)]
    id_number: String,
    #[schema(schema_with = validate::required_schema)]
    phone: String,
}

/// Registers a payment account for a person who has no open one.
pub(crate) async fn register_account(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<RegisterAccount>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(
        &sandbox,
        &http,
        Operation::RegisterAccount,
        &*body,
        |state| {
            validate::required("name", &body.name)?;
            validate::required("id_number", &body.id_number)?;
            validate::required("phone", &body.phone)?;
            let person = NewPerson {
                id_number: body.id_number.clone(),
                name: body.name.clone(),
                phone: body.phone.clone(),
                history: None,
            };
            let (id, write) = state.wallet.open_account(person, true)?;
            let reply = json!(AccountOpened {
                payment_account_id: id.clone(),
            });
            Ok(Applied::changed(reply, id, write))
        },
    )
    .await
}

/// Body of `POST /sandbox/wallet/close_account`, `…/security_rule`,
/// `…/real_name_record`, `…/savings_status` and `…/account_profile`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountRef {
    #[schema(schema_with = validate::required_schema)]
    pub(crate) payment_account_id: String,
}

/// Closes a payment account; closing a closed one changes nothing.
pub(crate) async fn close_account(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<AccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(&sandbox, &http, Operation::CloseAccount, &*body, |state| {
        let id = &body.payment_account_id;
        Ok(match state.wallet.close_account(id)? {
            Some(write) => Applied::changed(json!(Done {}), id.clone(), write),
            None => Applied::unchanged(json!(Done {})),
        })
    })
    .await
}

/// Body of `POST /sandbox/wallet/bind_card`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BindCard {
    payment_account_id: String,
    #[schema(schema_with = validate::card_number_schema)]
    card_number: String,
}

/// Binds a card to an open payment account.
pub(crate) async fn bind_card(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<BindCard>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(&sandbox, &http, Operation::BindCard, &*body, |state| {
        validate::card_number("card_number", &body.card_number)?;
        let (id, write) = state.wallet.bind(
            &body.payment_account_id,
            &body.card_number,
            BindingKind::Card,
        )?;
        let reply = json!(Bound {
            binding_id: id.clone(),
        });
        Ok(Applied::changed(reply, id, write))
    })
    .await
}

/// Body of `POST /sandbox/wallet/unbind_card`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BindingRef {
    binding_id: String,
}

/// Removes a binding; removing a removed one changes nothing.
pub(crate) async fn unbind_card(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<BindingRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(&sandbox, &http, Operation::UnbindCard, &*body, |state| {
        let id = &body.binding_id;
        Ok(match state.wallet.unbind(id)? {
            Some(write) => Applied::changed(json!(Done {}), id.clone(), write),
            None => Applied::unchanged(json!(Done {})),
        })
    })
    .await
}

/// The wallet's security rule: a prompt for every account a saga registered,
/// none for one that already existed. Not an effect.
pub(crate) async fn security_rule(
    sandbox: web::Data<Sandbox>,
    body: web::Json<AccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::SecurityRule, |state| {
        let account = state
            .wallet
            .account(&body.payment_account_id)
            .ok_or(ApiError::NotFound("payment account"))?;
        Ok(json!(SecurityRule {
            prompt_required: account.registered_by_saga,
        }))
    })
    .await
}

/// The display name of an open account's holder, which a pairing code shows (masked) to
/// the person who claims it; not an effect.
pub(crate) async fn account_profile(
    sandbox: web::Data<Sandbox>,
    body: web::Json<AccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::AccountProfile, |state| {
        validate::required("payment_account_id", &body.payment_account_id)?;
        let (person, _) = state.wallet.open_account_holder(&body.payment_account_id)?;
        Ok(json!(AccountProfile {
            display_name: person.name.clone(),
        }))
    })
    .await
}
