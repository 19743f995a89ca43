//! Sandbox fixtures and inspection for the credit-application flow: wallet users
//! with a history and a savings card, bank customers, savings cards.

use serde_json::{json, Value};

use crate::harness::data::Person;
use crate::harness::sandbox::SandboxClient;

impl SandboxClient {
    /// Fixture: a wallet user with an optional usage history and an optional
    /// savings card (bound to the account and issued to the person by the bank);
    /// returns the `payment_account_id`.
    pub async fn create_wallet_user_with(
        &self,
        person: &Person,
        history: Option<&Value>,
        savings_card_number: Option<&str>,
    ) -> String {
        let mut body = json!({
            "name": person.name,
            "id_number": person.id_number,
            "phone": person.phone,
        });
        if let Some(history) = history {
            body["history"] = history.clone();
        }
        if let Some(card) = savings_card_number {
            body["savings_card_number"] = json!(card);
        }
        let reply = self.post("/wallet/users", &body).await;
        reply["payment_account_id"]
            .as_str()
            .unwrap_or_else(|| panic!("fixture answer without payment_account_id: {reply}"))
            .to_owned()
    }

    /// Fixture: a bank customer, holding a credit account when `credit_account`.
    pub async fn create_bank_customer(&self, person: &Person, credit_account: bool) {
        self.post(
            "/bank/customers",
            &json!({
                "name": person.name,
                "id_number": person.id_number,
                "credit_account": credit_account,
            }),
        )
        .await;
    }

    /// Fixture: a savings card the bank issued to the person `id_number`.
    pub async fn register_savings_card(&self, card_number: &str, id_number: &str) {
        self.post(
            "/bank/savings-cards",
            &json!({ "card_number": card_number, "id_number": id_number }),
        )
        .await;
    }

    /// Every credit account the bank holds for a person: `{"credit_accounts": […]}`.
    pub async fn bank_person(&self, id_number: &str) -> Value {
        self.get(&format!("/bank/persons/{id_number}")).await
    }

    /// The credit accounts of a person with `status` (e.g. `active`).
    pub async fn credit_accounts(&self, id_number: &str, status: &str) -> Vec<Value> {
        self.bank_person(id_number).await["credit_accounts"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|a| a["status"] == status)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}
