//! The wallet's `charge` operation (seed 000): a merchant's service request, forwarded by
//! the orchestrator with the real payment account behind the merchant's virtual id.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::money::{parse_cents, Money};
use crate::operation::Operation;
use crate::pipeline::{self, Applied};
use crate::replies::Charged;
use crate::sandbox::Sandbox;
use crate::validate;

/// Body of `POST /sandbox/wallet/charge`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Charge {
    #[schema(schema_with = validate::required_schema)]
    payment_account_id: String,
    #[schema(schema_with = validate::required_schema)]
    merchant_id: String,
    amount: Money,
}

/// Charges an open account; above 10,000.00 the wallet refuses with `insufficient_funds`.
pub(crate) async fn charge(
    sandbox: web::Data<Sandbox>,
    http: HttpRequest,
    body: web::Json<Charge>,
) -> Result<HttpResponse, ApiError> {
    pipeline::effect(&sandbox, &http, Operation::Charge, &*body, |state| {
        validate::required("payment_account_id", &body.payment_account_id)?;
        validate::required("merchant_id", &body.merchant_id)?;
        let cents = parse_cents("amount.amount", &body.amount.amount)?;
        if cents == 0 || body.amount.currency != "CNY" {
            return Err(ApiError::Validation(
                "`amount` must be above zero and in CNY".to_owned(),
            ));
        }
        let (id, write) =
            state
                .wallet
                .charge(&body.payment_account_id, &body.merchant_id, cents)?;
        let reply = json!(Charged {
            charge_id: id.clone(),
        });
        Ok(Applied::changed(reply, id, write))
    })
    .await
}
