//! Client of the sandbox parties: fixtures, faults and inspection.

use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::data::Person;
use crate::harness::ledger::Ledger;

/// Client of the `/sandbox/…` endpoints of a process (the orchestrator itself,
/// or a separate `onboard sandbox`).
#[derive(Debug, Clone)]
pub struct SandboxClient {
    base: String,
    http: reqwest::Client,
}

impl SandboxClient {
    /// A client of the sandbox served at `base` (`http://127.0.0.1:<port>`).
    pub fn new(base: impl Into<String>) -> SandboxClient {
        SandboxClient {
            base: base.into(),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(20))
                .build()
                .expect("reqwest client"),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        let url = format!("{}/sandbox{path}", self.base);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.text().await.expect("sandbox body");
        assert_eq!(status, 200, "GET {url}: HTTP {status}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: {e}: {text}"))
    }

    pub(crate) async fn post(&self, path: &str, body: &Value) -> Value {
        let url = format!("{}/sandbox{path}", self.base);
        let response = self
            .http
            .post(&url)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        let text = response.text().await.expect("sandbox body");
        assert!(
            (200..300).contains(&status),
            "POST {url} {body}: HTTP {status}: {text}"
        );
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Fixture: a person the wallet already knows, with an open account; returns
    /// its `payment_account_id`.
    pub async fn create_wallet_user(&self, person: &Person) -> String {
        let reply = self
            .post(
                "/wallet/users",
                &json!({
                    "name": person.name,
                    "id_number": person.id_number,
                    "phone": person.phone,
                }),
            )
            .await;
        reply["payment_account_id"]
            .as_str()
            .unwrap_or_else(|| panic!("fixture answer without payment_account_id: {reply}"))
            .to_owned()
    }

    /// Everything the wallet holds for a person: `{"accounts": […]}`.
    pub async fn wallet_person(&self, id_number: &str) -> Value {
        self.get(&format!("/wallet/persons/{id_number}")).await
    }

    /// The effect ledger.
    pub async fn ledger(&self) -> Ledger {
        let value = self.get("/ledger").await;
        serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("ledger does not parse: {e}: {value}"))
    }

    /// The next `times` calls of `operation` that are not replays fail with `mode`
    /// (`error`, `decline`, `unauthorized`: nothing applied; `timeout`, `in_progress`,
    /// `garbled`: applied, answer lost); `delay_ms` is how long a `timeout` holds the answer.
    pub async fn inject_fault(
        &self,
        party: &str,
        operation: &str,
        mode: &str,
        times: u32,
        delay_ms: Option<u64>,
    ) {
        let mut body =
            json!({ "party": party, "operation": operation, "mode": mode, "times": times });
        if let Some(delay_ms) = delay_ms {
            body["delay_ms"] = json!(delay_ms);
        }
        self.post("/faults", &body).await;
    }

    /// Drops every queued fault (`DELETE /sandbox/faults`).
    pub async fn clear_faults(&self) {
        let url = format!("{}/sandbox/faults", self.base);
        let response = self
            .http
            .delete(&url)
            .send()
            .await
            .unwrap_or_else(|e| panic!("DELETE {url}: {e}"));
        assert_eq!(response.status().as_u16(), 204, "DELETE {url}");
    }
}

/// The account with `payment_account_id` in a `wallet_person` answer.
pub fn account<'a>(person: &'a Value, payment_account_id: &str) -> Option<&'a Value> {
    person["accounts"]
        .as_array()?
        .iter()
        .find(|a| a["payment_account_id"] == payment_account_id)
}

/// The binding with `binding_id` in a `wallet_person` answer, any account.
pub fn binding<'a>(person: &'a Value, binding_id: &str) -> Option<&'a Value> {
    person["accounts"]
        .as_array()?
        .iter()
        .filter_map(|a| a["bindings"].as_array())
        .flatten()
        .find(|b| b["binding_id"] == binding_id)
}
