//! The few calls of the HTTP API the bench makes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::Value;

const BANK_KEY: &str = "Bearer bank_test_key";
const WALLET_KEY: &str = "Bearer wallet_test_key";
const MERCHANT_KEY: &str = "Bearer merchant_test_key";
/// How long one saga may take before the bench gives up on it.
const SAGA_PATIENCE: Duration = Duration::from_secs(60);

/// The kind of workflow resource, which names its URL and the caller that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `/v1/onboardings`, driven by the bank.
    Onboarding,
    /// `/v1/credit-applications`, driven by the wallet.
    CreditApplication,
}

impl Resource {
    fn collection(self) -> &'static str {
        match self {
            Resource::Onboarding => "onboardings",
            Resource::CreditApplication => "credit-applications",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Resource::Onboarding => BANK_KEY,
            Resource::CreditApplication => WALLET_KEY,
        }
    }
}

/// Who a request of [`Api::call`] is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    /// `sandbox-merchant`.
    Merchant,
    /// `sandbox-wallet`.
    Wallet,
}

/// What the bench needs of a workflow resource.
#[derive(Debug, Clone)]
pub struct Workflow {
    /// Which collection it is in.
    pub resource: Resource,
    /// Workflow id.
    pub id: String,
    /// `running`, `waiting`, `completed`, …
    pub status: String,
    /// `waiting_for.prompt_id`, while a security prompt is open.
    pub prompt_id: Option<String>,
    /// `result.created` of a credit application, once completed.
    pub created: Option<bool>,
    /// The replica that created it, which its reads go to while it lives (as a load
    /// balancer with affinity by workflow sends them): a `?wait` read at another replica
    /// learns of the change only by its periodic look at the store.
    replica: String,
}

impl Workflow {
    fn parse(resource: Resource, replica: String, value: &Value) -> anyhow::Result<Workflow> {
        let text = |v: &Value| v.as_str().map(str::to_owned);
        Ok(Workflow {
            resource,
            id: text(&value["id"]).context("workflow without id")?,
            status: text(&value["status"]).context("workflow without status")?,
            prompt_id: text(&value["waiting_for"]["prompt_id"]),
            created: value["result"]["created"].as_bool(),
            replica,
        })
    }

    /// Whether `GET ?wait` would answer at once: waiting or final.
    pub fn settled(&self) -> bool {
        !matches!(self.status.as_str(), "running" | "compensating")
    }
}

/// HTTP client of one orchestrator (or of several replicas, taken in turn, as a load
/// balancer would) and its sandbox.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    bases: Arc<RwLock<Vec<String>>>,
    turn: Arc<AtomicUsize>,
    sandbox: String,
}

impl Api {
    /// A client of the orchestrator at `base` whose sandbox is under `sandbox`.
    pub fn new(base: &str, sandbox: &str) -> anyhow::Result<Api> {
        Api::balanced(vec![base.to_owned()], sandbox)
    }

    /// A client of the replicas at `bases`, each request sent to the next one in turn.
    pub fn balanced(bases: Vec<String>, sandbox: &str) -> anyhow::Result<Api> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()?;
        Ok(Api {
            http,
            bases: Arc::new(RwLock::new(bases)),
            turn: Arc::new(AtomicUsize::new(0)),
            sandbox: sandbox.to_owned(),
        })
    }

    /// Stops sending requests to `base`, as a load balancer does once a replica is gone.
    pub fn retire(&self, base: &str) {
        let mut bases = self.bases.write().unwrap_or_else(PoisonError::into_inner);
        bases.retain(|b| b != base);
    }

    /// `replica` while requests still go to it, else the next replica in turn.
    fn affine(&self, replica: &str) -> String {
        let bases = self.bases.read().unwrap_or_else(PoisonError::into_inner);
        if bases.iter().any(|base| base == replica) {
            return replica.to_owned();
        }
        drop(bases);
        self.base()
    }

    /// The replica the next request goes to.
    fn base(&self) -> String {
        let bases = self.bases.read().unwrap_or_else(PoisonError::into_inner);
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        bases[turn % bases.len()].clone()
    }

    /// Makes the wallet know a person (sandbox fixture); returns the person's
    /// `payment_account_id`.
    pub async fn fixture(&self, body: &Value) -> anyhow::Result<String> {
        let url = format!("{}/sandbox/wallet/users", self.sandbox);
        let value = expect(self.http.post(url).json(body).send().await?, 201, "fixture").await?;
        value["payment_account_id"]
            .as_str()
            .map(str::to_owned)
            .context("fixture answered without payment_account_id")
    }

    /// `POST /v1/onboardings`.
    pub async fn start(&self, body: &Value) -> anyhow::Result<Workflow> {
        self.create(Resource::Onboarding, body).await
    }

    /// `POST /v1/credit-applications`.
    pub async fn apply_for_credit(&self, body: &Value) -> anyhow::Result<Workflow> {
        self.create(Resource::CreditApplication, body).await
    }

    async fn create(&self, resource: Resource, body: &Value) -> anyhow::Result<Workflow> {
        let replica = self.base();
        let url = format!("{replica}/v1/{}", resource.collection());
        let request = self
            .http
            .post(url)
            .header("Authorization", resource.key())
            .json(body);
        let value = expect(request.send().await?, 202, "start").await?;
        Workflow::parse(resource, replica, &value)
    }

    /// Follows `workflow` with `GET ?wait=10` until it is waiting or final (with
    /// `past_waiting`, until it is final: a decision was just sent).
    pub async fn settle(
        &self,
        mut workflow: Workflow,
        past_waiting: bool,
    ) -> anyhow::Result<Workflow> {
        let deadline = Instant::now() + SAGA_PATIENCE;
        let mut first = true;
        while !workflow.settled() || (past_waiting && workflow.status == "waiting") {
            anyhow::ensure!(
                Instant::now() < deadline,
                "saga {} never settled",
                workflow.id
            );
            if workflow.status == "waiting" && !first {
                // The decision is not applied yet and `?wait` answers at once: back off.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            first = false;
            let resource = workflow.resource;
            let replica = self.affine(&workflow.replica);
            let url = format!(
                "{replica}/v1/{}/{}?wait=10",
                resource.collection(),
                workflow.id
            );
            let request = self.http.get(url).header("Authorization", resource.key());
            let value = expect(request.send().await?, 200, "wait").await?;
            workflow = Workflow::parse(resource, replica, &value)?;
        }
        Ok(workflow)
    }

    /// A pairing-code request (`path` under the API) as the wallet: the status and the
    /// JSON body, whatever they are.
    pub async fn pairing(&self, path: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        let request = self
            .http
            .post(format!("{}{path}", self.base()))
            .header("Authorization", WALLET_KEY)
            .json(body);
        let response = request.send().await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// A request to `path` under the API as `caller`: the JSON body when the answer is
    /// `want`, else an error naming `what`. For the account-linking part, whose calls
    /// alternate between the merchant and the wallet.
    pub async fn call(
        &self,
        caller: Caller,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        want: u16,
        what: &str,
    ) -> anyhow::Result<Value> {
        let key = match caller {
            Caller::Merchant => MERCHANT_KEY,
            Caller::Wallet => WALLET_KEY,
        };
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base()))
            .header("Authorization", key);
        if let Some(body) = body {
            request = request.json(body);
        }
        expect(request.send().await?, want, what).await
    }

    /// Approves a security prompt as the wallet.
    pub async fn approve(&self, prompt_id: &str) -> anyhow::Result<()> {
        let url = format!("{}/v1/security-prompts/{prompt_id}/decision", self.base());
        let request = self
            .http
            .post(url)
            .header("Authorization", WALLET_KEY)
            .json(&serde_json::json!({ "decision": "approve" }));
        expect(request.send().await?, 200, "approve").await?;
        Ok(())
    }
}

/// The JSON body of `response`, or an error naming `what` if the status is not `want`.
async fn expect(response: reqwest::Response, want: u16, what: &str) -> anyhow::Result<Value> {
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    if status != want {
        let text = String::from_utf8_lossy(&bytes);
        anyhow::bail!(
            "{what}: HTTP {status}: {}",
            text.chars().take(200).collect::<String>()
        );
    }
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).with_context(|| format!("{what}: body is not JSON"))
}
