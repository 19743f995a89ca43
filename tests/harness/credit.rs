//! The credit-application API (seed 004) for the payment app's server: apply,
//! read, supply a savings card; and the bodies these requests carry.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};

use crate::harness::client::{is_final, Api, Reply, WALLET_KEY};
use crate::harness::data::Person;

/// Where credit applications live.
pub const CREDIT_APPLICATIONS: &str = "/v1/credit-applications";

/// The body of `POST /v1/credit-applications`.
pub fn credit_application_body(payment_account_id: &str, name: &str, suffix: &str) -> Value {
    json!({
        "payment_account_id": payment_account_id,
        "name": name,
        "id_number_suffix": suffix,
    })
}

/// The last `len` characters of a person's id number, as a client would type them.
pub fn id_suffix(person: &Person, len: usize) -> String {
    person.id_number[person.id_number.len() - len..].to_owned()
}

/// A usage history for `POST /sandbox/wallet/users`.
pub fn history(months_active: u32, payment_count: u32, payment_volume: &str) -> Value {
    json!({
        "months_active": months_active,
        "payment_count": payment_count,
        "payment_volume": payment_volume,
    })
}

impl Api {
    /// Wallet: `POST /v1/credit-applications`.
    pub async fn try_apply_for_credit(
        &self,
        body: &Value,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        self.try_send(
            Method::POST,
            CREDIT_APPLICATIONS,
            Some(WALLET_KEY),
            idempotency_key,
            Some(body),
        )
        .await
    }

    /// Wallet: `POST /v1/credit-applications`, panicking on a transport error.
    pub async fn apply_for_credit_reply(&self, body: &Value) -> Reply {
        self.try_apply_for_credit(body, None)
            .await
            .expect("POST /v1/credit-applications transport")
    }

    /// Wallet: `POST /v1/credit-applications`, expecting 202; returns the workflow id.
    pub async fn apply_for_credit(&self, body: &Value) -> String {
        let reply = self.apply_for_credit_reply(body).await;
        reply.expect_status(202, "POST /v1/credit-applications");
        reply.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("202 without an id: {}", reply.text))
            .to_owned()
    }

    /// Wallet: `GET /v1/credit-applications/{id}?wait=…`.
    pub async fn try_get_credit_application(
        &self,
        id: &str,
        wait_secs: u64,
    ) -> Result<Reply, reqwest::Error> {
        self.try_get_workflow(CREDIT_APPLICATIONS, WALLET_KEY, id, wait_secs)
            .await
    }

    /// Wallet: `GET /v1/credit-applications/{id}`, expecting 200; returns the workflow.
    pub async fn credit_application(&self, id: &str) -> Value {
        let reply = self
            .try_get_credit_application(id, 0)
            .await
            .expect("GET /v1/credit-applications transport");
        reply.expect_status(200, "GET /v1/credit-applications/{id}");
        reply.body
    }

    /// Waits until the application waits for a savings card or is final.
    pub async fn wait_credit_waiting(&self, id: &str) -> Value {
        self.wait_for_workflow(
            CREDIT_APPLICATIONS,
            WALLET_KEY,
            id,
            Duration::from_secs(20),
            "waiting or final",
            |w| w["status"] == "waiting" || is_final(w),
        )
        .await
    }

    /// Waits until the application is final.
    pub async fn wait_credit_final(&self, id: &str) -> Value {
        self.wait_for_workflow(
            CREDIT_APPLICATIONS,
            WALLET_KEY,
            id,
            Duration::from_secs(30),
            "final",
            is_final,
        )
        .await
    }

    /// Wallet: `POST /v1/credit-applications/{id}/savings-account`.
    pub async fn try_supply_savings_card(
        &self,
        id: &str,
        card_number: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        self.try_send(
            Method::POST,
            &format!("{CREDIT_APPLICATIONS}/{id}/savings-account"),
            Some(WALLET_KEY),
            idempotency_key,
            Some(&json!({ "card_number": card_number })),
        )
        .await
    }

    /// Wallet: supplies a savings card, panicking on a transport error.
    pub async fn supply_savings_card(&self, id: &str, card_number: &str) -> Reply {
        self.try_supply_savings_card(id, card_number, None)
            .await
            .expect("POST savings-account transport")
    }
}
