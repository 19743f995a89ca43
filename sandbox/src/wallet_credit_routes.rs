//! The wallet's party operations for the virtual-credit-account flow: the
//! real-name record the orchestrator matches the client's partial data
//! against, and the savings account a credit account draws on.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::operation::Operation;
use crate::pipeline::{self, Applied};
use crate::replies::{Bound, RealNameRecord, SavingsStatus};
use crate::sandbox::Sandbox;
use crate::validate;
use crate::wallet_routes::AccountRef;

/// The real name, id number and usage history of the person holding an open
/// account (history all zeros when the wallet has none); not an effect.
pub(crate) async fn real_name_record(
    sandbox: web::Data<Sandbox>,
    body: web::Json<AccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::RealNameRecord, |state| {
        validate::required("payment_account_id", &body.payment_account_id)?;
        let (person, _) = state.wallet.open_account_holder(&body.payment_account_id)?;
        Ok(json!(RealNameRecord {
            name: person.name.clone(),
            id_number: person.id_number.clone(),
            history: person.history.clone().unwrap_or_default(),
        }))
    })
    .await
}

/// The savings binding in force on an open account, if any; not an effect.
pub(crate) async fn savings_status(
    sandbox: web::Data<Sandbox>,
    body: web::Json<AccountRef>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::SavingsStatus, |state| {
        validate::required("payment_account_id", &body.payment_account_id)?;
        let (_, account) = state.wallet.open_account_holder(&body.payment_account_id)?;
        let savings = account.active_savings();
        Ok(json!(SavingsStatus {
            savings_binding_id: savings.map(|binding| binding.binding_id.clone()),
            card_last4: savings.map(|binding| binding.card_last4.clone()),
        }))
    })
    .await
}

/// Body of `POST /sandbox/wallet/bind_savings_card`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BindSavingsCard {
    #[schema(schema_with = validate::required_schema)]
    payment_account_id: String,
    #[schema(schema_with = validate::card_number_schema)]
    card_number: String,
}

/// Binds a savings card to an open account that has no savings binding in
/// force; the orchestrator has the bank verify the card first.
pub(crate) async fn bind_savings_card(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<BindSavingsCard>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(
        &sandbox,
        &http,
        Operation::BindSavingsCard,
        &*body,
        |state| {
            validate::required("payment_account_id", &body.payment_account_id)?;
            validate::card_number("card_number", &body.card_number)?;
            let (id, write) = state
                .wallet
                .bind_savings(&body.payment_account_id, &body.card_number)?;
            let reply = json!(Bound {
                binding_id: id.clone(),
            });
            Ok(Applied::changed(reply, id, write))
        },
    )
    .await
}
