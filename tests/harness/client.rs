//! A thin HTTP client for the orchestrator's public API.

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

/// Bearer key of the sandbox bank.
pub const BANK_KEY: &str = "bank_test_key";
/// Bearer key of the sandbox wallet (payment app server).
pub const WALLET_KEY: &str = "wallet_test_key";
/// Bearer key of the second sandbox wallet, another payment app: none of the wallet
/// party's security prompts are its.
pub const WALLET2_KEY: &str = "wallet2_test_key";
/// Bearer key of the sandbox merchant.
pub const MERCHANT_KEY: &str = "merchant_test_key";
/// Bearer key of the second sandbox merchant, another merchant altogether.
pub const MERCHANT2_KEY: &str = "merchant2_test_key";
/// Bearer key of the operator.
pub const OPERATOR_KEY: &str = "admin_test_key";

/// Final workflow statuses.
const FINAL: [&str; 3] = ["completed", "compensated", "failed"];

/// An HTTP answer: status, headers and body (JSON when it parses, else `Null`).
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body parsed as JSON, or `Value::Null`.
    pub body: Value,
    /// The raw body.
    pub text: String,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The problem `code` of an error answer.
    pub fn code(&self) -> Option<&str> {
        self.body.get("code").and_then(Value::as_str)
    }

    /// The workflow `status` of a workflow answer.
    pub fn status_field(&self) -> Option<&str> {
        self.body.get("status").and_then(Value::as_str)
    }

    /// Panics with the whole answer unless the status is `expected`.
    #[track_caller]
    pub fn expect_status(&self, expected: u16, what: &str) -> &Reply {
        assert_eq!(
            self.status, expected,
            "{what}: expected HTTP {expected}, got {} with body {}",
            self.status, self.text
        );
        self
    }

    /// Panics unless this is an `application/problem+json` answer with `status` and `code`.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, code: &str, what: &str) -> &Reply {
        self.expect_status(status, what);
        let content_type = self.header("content-type").unwrap_or("");
        assert!(
            content_type.starts_with("application/problem+json"),
            "{what}: expected Content-Type application/problem+json, got {content_type:?} (body {})",
            self.text
        );
        assert_eq!(
            self.code(),
            Some(code),
            "{what}: wrong problem code in {}",
            self.text
        );
        self
    }
}

/// Client of one orchestrator (its base URL survives restarts on the same port).
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    /// A client of the orchestrator at `base` (`http://127.0.0.1:<port>`).
    pub fn new(base: impl Into<String>) -> Api {
        Api {
            base: base.into(),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(40))
                .build()
                .expect("reqwest client"),
        }
    }

    /// The base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request; transport errors are returned (the server may be down).
    pub async fn try_send(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        idempotency_key: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Reply, reqwest::Error> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(idempotency_key) = idempotency_key {
            request = request.header("Idempotency-Key", idempotency_key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply {
            status,
            headers,
            body,
            text,
        })
    }

    /// Like [`Self::try_send`], panicking on a transport error.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        idempotency_key: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        self.try_send(method.clone(), path, key, idempotency_key, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: transport error: {e}"))
    }

    /// Sends a raw (possibly invalid JSON) body with the bank key.
    pub async fn post_raw(&self, path: &str, key: Option<&str>, body: &str) -> Reply {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .body(body.to_owned());
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.expect("transport");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    /// Bank: `POST /v1/onboardings`.
    pub async fn try_start_onboarding(
        &self,
        body: &Value,
        idempotency_key: &str,
    ) -> Result<Reply, reqwest::Error> {
        self.try_send(
            Method::POST,
            "/v1/onboardings",
            Some(BANK_KEY),
            Some(idempotency_key),
            Some(body),
        )
        .await
    }

    /// Bank: `POST /v1/onboardings`, expecting 202; returns the workflow id.
    pub async fn start_onboarding(&self, body: &Value) -> String {
        let key = uuid::Uuid::new_v4().to_string();
        let reply = self
            .try_start_onboarding(body, &key)
            .await
            .expect("POST /v1/onboardings transport");
        reply.expect_status(202, "POST /v1/onboardings");
        reply.body["id"]
            .as_str()
            .unwrap_or_else(|| panic!("202 without an id: {}", reply.text))
            .to_owned()
    }

    /// Bank: `GET /v1/onboardings/{id}?wait=…`.
    pub async fn try_get_onboarding(
        &self,
        id: &str,
        wait_secs: u64,
    ) -> Result<Reply, reqwest::Error> {
        self.try_get_workflow("/v1/onboardings", BANK_KEY, id, wait_secs)
            .await
    }

    /// `GET {collection}/{id}?wait=…` with `key`, e.g. `("/v1/credit-applications", WALLET_KEY)`.
    pub async fn try_get_workflow(
        &self,
        collection: &str,
        key: &str,
        id: &str,
        wait_secs: u64,
    ) -> Result<Reply, reqwest::Error> {
        let path = if wait_secs == 0 {
            format!("{collection}/{id}")
        } else {
            format!("{collection}/{id}?wait={wait_secs}")
        };
        self.try_send(Method::GET, &path, Some(key), None, None)
            .await
    }

    /// Polls (with `?wait`) until `done(workflow)` holds; panics after `timeout`
    /// with the last workflow seen.
    pub async fn wait_for(
        &self,
        id: &str,
        timeout: Duration,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        self.wait_for_workflow("/v1/onboardings", BANK_KEY, id, timeout, what, done)
            .await
    }

    /// [`Self::wait_for`] for a workflow of any collection, read with `key`.
    pub async fn wait_for_workflow(
        &self,
        collection: &str,
        key: &str,
        id: &str,
        timeout: Duration,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        let mut last = Value::Null;
        while Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now()).as_secs();
            match self
                .try_get_workflow(collection, key, id, left.clamp(1, 5))
                .await
            {
                Ok(reply) if reply.status == 200 => {
                    if done(&reply.body) {
                        return reply.body;
                    }
                    last = reply.body;
                }
                Ok(reply) => last = json!({ "http_status": reply.status, "body": reply.text }),
                Err(error) => last = json!({ "transport_error": error.to_string() }),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("workflow {id}: not {what} after {timeout:?}; last seen: {last}");
    }

    /// Waits until the workflow waits for a security prompt; returns the workflow.
    pub async fn wait_for_prompt(&self, id: &str) -> Value {
        self.wait_for(id, Duration::from_secs(20), "waiting for a prompt", |w| {
            w["status"] == "waiting" || is_final(w)
        })
        .await
    }

    /// Waits until the workflow is in a final status; returns the workflow.
    pub async fn wait_final(&self, id: &str) -> Value {
        self.wait_for(id, Duration::from_secs(30), "final", is_final)
            .await
    }

    /// Wallet: the open prompts of a payment account.
    pub async fn prompts(&self, payment_account_id: &str) -> Reply {
        self.send(
            Method::GET,
            &format!("/v1/security-prompts?payment_account_id={payment_account_id}"),
            Some(WALLET_KEY),
            None,
            None,
        )
        .await
    }

    /// Wallet: decides a prompt (`approve` or `reject`).
    pub async fn try_decide(
        &self,
        prompt_id: &str,
        decision: &str,
        idempotency_key: Option<&str>,
    ) -> Result<Reply, reqwest::Error> {
        self.try_send(
            Method::POST,
            &format!("/v1/security-prompts/{prompt_id}/decision"),
            Some(WALLET_KEY),
            idempotency_key,
            Some(&json!({ "decision": decision })),
        )
        .await
    }

    /// Wallet: decides a prompt, panicking on a transport error.
    pub async fn decide(&self, prompt_id: &str, decision: &str) -> Reply {
        self.try_decide(prompt_id, decision, None)
            .await
            .expect("POST decision transport")
    }
}

/// Whether a workflow is completed, compensated or failed.
pub fn is_final(workflow: &Value) -> bool {
    workflow["status"]
        .as_str()
        .is_some_and(|status| FINAL.contains(&status))
}
