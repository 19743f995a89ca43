//! The simulated bank: its customers and credit accounts, and the card check
//! it answers for the orchestrator.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::ApiError;
use crate::ids::new_id;
use crate::operation::Operation;
use crate::persistence::Write;
use crate::pipeline;
use crate::sandbox::Sandbox;
use crate::validate;

/// The card number the bank always declines, so tests can drive the decline path.
const DECLINED_CARD: &str = "4000000000000002";

/// The limit every sandbox credit account gets.
const DEFAULT_CREDIT_LIMIT: &str = "5000.00";

/// A person the bank knows, with their credit accounts; one record per person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub id_number: String,
    pub name: String,
    pub credit_accounts: Vec<CreditAccount>,
}

/// A virtual credit account held at the bank.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CreditAccount {
    pub credit_account_id: String,
    pub status: CreditStatus,
    pub credit_limit: Money,
}

/// The lifecycle of a credit account; later flows may add more states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CreditStatus {
    Active,
}

/// An amount as a decimal string with its currency, as everywhere in the API.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Money {
    pub amount: String,
    pub currency: String,
}

/// The bank's state.
#[derive(Debug, Default)]
pub(crate) struct Bank {
    customers: HashMap<String, Customer>,
}

impl Bank {
    /// Rebuilds the bank from stored records.
    pub(crate) fn from_customers(customers: Vec<Customer>) -> Bank {
        let customers = customers
            .into_iter()
            .map(|customer| (customer.id_number.clone(), customer))
            .collect();
        Bank { customers }
    }

    pub(crate) fn customer(&self, id_number: &str) -> Option<&Customer> {
        self.customers.get(id_number)
    }

    /// Creates or renames a customer and, when asked, gives them a credit
    /// account unless they already hold an active one.
    pub(crate) fn upsert_customer(
        &mut self,
        id_number: &str,
        name: &str,
        with_credit_account: bool,
    ) -> Write {
        let customer = self
            .customers
            .entry(id_number.to_owned())
            .or_insert_with(|| Customer {
                id_number: id_number.to_owned(),
                name: String::new(),
                credit_accounts: Vec::new(),
            });
        customer.name = name.to_owned();
        let has_active = customer
            .credit_accounts
            .iter()
            .any(|account| account.status == CreditStatus::Active);
        if with_credit_account && !has_active {
            customer.credit_accounts.push(CreditAccount {
                credit_account_id: new_id("ca_"),
                status: CreditStatus::Active,
                credit_limit: Money {
                    amount: DEFAULT_CREDIT_LIMIT.to_owned(),
                    currency: "CNY".to_owned(),
                },
            });
        }
        Write::customer(customer)
    }
}

/// Body of `POST /sandbox/bank/verify_card`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyCard {
    card_number: String,
    id_number: String,
}

/// The bank confirms that a card belongs to the person; not an effect.
pub(crate) async fn verify_card(
    sandbox: web::Data<Sandbox>,
    body: web::Json<VerifyCard>,
) -> Result<HttpResponse, ApiError> {
    pipeline::query(&sandbox, Operation::VerifyCard, |_| {
        if body.card_number == DECLINED_CARD {
            return Err(ApiError::Declined);
        }
        validate::card_number("card_number", &body.card_number)?;
        validate::required("id_number", &body.id_number)?;
        Ok(json!({ "verified": true }))
    })
    .await
}
