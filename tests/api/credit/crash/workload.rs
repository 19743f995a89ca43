//! The credit crash test's workload: a seeded plan of applications with their
//! fixtures, a creator that starts them (retrying with the same `Idempotency-Key`
//! while the orchestrator is down) and injects faults, and one supplier per
//! application that is to get a savings card.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::{card_number, history, is_final, person, Api, Person, SandboxClient};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use tokio::task::JoinHandle;

use super::supplier;
use crate::chaos::tracked;
use crate::chaos::{posted, Anomalies, Posted};
use crate::credit::Applicant;
use crate::flows::str_at;

/// What the person has before applying, which fixes the possible outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Holds a credit account already: completed, `created: false`, no effect.
    ExistingCredit,
    /// A savings card is bound to the wallet account: the bank creates at once.
    PreBound,
    /// No savings binding: the saga waits and the supplier sends a valid card.
    SupplyCard,
    /// No savings binding and no card ever: the deadline compensates.
    LeftToTimeOut,
}

/// One planned application and what became of it.
#[derive(Debug, Clone)]
pub struct Application {
    pub kind: Kind,
    pub person: Person,
    pub payment_account_id: String,
    /// The savings card bound by the fixture (`PreBound`) or to supply (`SupplyCard`).
    pub card: Option<String>,
    /// The binding the fixture made (`PreBound`).
    pub prebound_binding: Option<String>,
    /// The credit account the fixture made (`ExistingCredit`).
    pub existing_credit: Option<Value>,
    pub body: Value,
    pub idempotency_key: String,
    /// The workflow id, once a POST was accepted.
    pub id: Option<String>,
    /// The final workflow.
    pub outcome: Option<Value>,
}

tracked!(Application, Kind);

/// The applications, shared by the tasks.
pub type Applications = Arc<Mutex<Vec<Application>>>;

/// A seeded plan of `n` applications, with their fixtures made in `sandbox`.
pub async fn plan(rng: &mut StdRng, sandbox: &SandboxClient, n: usize) -> Vec<Application> {
    let mut plan = Vec::with_capacity(n);
    for i in 0..n {
        let kind = match rng.random_range(0..100) {
            0..=17 => Kind::ExistingCredit,
            18..=42 => Kind::PreBound,
            43..=82 => Kind::SupplyCard,
            _ => Kind::LeftToTimeOut,
        };
        let person = person();
        let usage = history(
            rng.random_range(0..30),
            rng.random_range(0..20),
            &format!(
                "{}.{:02}",
                rng.random_range(0..300_000),
                rng.random_range(0..100)
            ),
        );
        let card = matches!(kind, Kind::PreBound | Kind::SupplyCard).then(card_number);
        let prebound = card.as_deref().filter(|_| kind == Kind::PreBound);
        let payment_account_id = sandbox
            .create_wallet_user_with(&person, Some(&usage), prebound)
            .await;
        let mut prebound_binding = None;
        let mut existing_credit = None;
        match kind {
            Kind::ExistingCredit => {
                sandbox.create_bank_customer(&person, true).await;
                let held = sandbox.credit_accounts(&person.id_number, "active").await;
                existing_credit = held.into_iter().next();
            }
            Kind::PreBound => {
                let held = sandbox.wallet_person(&person.id_number).await;
                prebound_binding =
                    Some(str_at(&held["accounts"][0]["bindings"][0], &["binding_id"]));
            }
            Kind::SupplyCard => {
                let card = card.as_deref().expect("card to supply");
                sandbox.register_savings_card(card, &person.id_number).await;
            }
            Kind::LeftToTimeOut => {}
        }
        let body = Applicant {
            person: person.clone(),
            payment_account_id: payment_account_id.clone(),
        }
        .body();
        plan.push(Application {
            kind,
            person,
            payment_account_id,
            card,
            prebound_binding,
            existing_credit,
            body,
            idempotency_key: format!("credit-crash-{i}-{}", uuid::Uuid::new_v4().simple()),
            id: None,
            outcome: None,
        });
    }
    plan
}

/// Transient failures the creator injects now and then: the orchestrator retries
/// them with the same idempotency key and nothing may happen twice.
const ERRORS: [(&str, &str, u32); 7] = [
    ("wallet", "real_name_record", 1),
    ("bank", "credit_account_lookup", 2),
    ("wallet", "savings_status", 2),
    ("bank", "verify_savings_card", 1),
    ("wallet", "bind_savings_card", 2),
    ("bank", "create_credit_account", 1),
    ("wallet", "unbind_card", 1),
];

/// Operations a latency fault slows down (the effect is applied, the answer comes
/// late, so a kill meanwhile leaves an applied effect the orchestrator has not
/// heard of), with the longest delay. Above the connector timeout (1 s) the call
/// is also retried. `create_credit_account` stays below it and is slowed only
/// once the decline is queued before (see [`inject_decline_when_quiet`]).
const SLOWED: [(&str, &str, u64); 5] = [
    ("bank", "credit_account_lookup", 1300),
    ("wallet", "savings_status", 1300),
    ("bank", "verify_savings_card", 1300),
    ("wallet", "bind_savings_card", 1300),
    ("bank", "create_credit_account", 800),
];

/// The application before which the single `create_credit_account` decline is queued.
const DECLINE_AT: usize = 6;

/// What the creator did besides starting applications, for the checks.
#[derive(Debug, Default)]
pub struct Injected {
    /// Whether the decline of `create_credit_account` was queued.
    pub decline: bool,
}

/// Starts every planned application, with random pauses, injecting transient
/// errors, latency and one decline of `create_credit_account` on the way. A POST
/// that fails (server down, key in flight, 5xx) is retried with the same key
/// (interleaved with the next applications) for up to 45 s; `first_pass` is set
/// once every application had its first attempt. (A kill while a POST is in
/// flight leaves its key claimed, so the retries get 409 for the server's
/// in-flight TTL, 30 s.) Each accepted `SupplyCard` application gets its own
/// supplier task.
pub async fn create_all(
    api: Api,
    sandbox: SandboxClient,
    apps: Applications,
    seed: u64,
    first_pass: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    anomalies: Anomalies,
) -> (Injected, Vec<JoinHandle<()>>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let n = apps.lock().unwrap().len();
    let mut injected = Injected::default();
    let mut posting = Posting {
        api,
        apps,
        stop,
        anomalies,
        retrying: Vec::new(),
        suppliers: Vec::new(),
    };
    for i in 0..n {
        if i == DECLINE_AT {
            injected.decline = inject_decline_when_quiet(&posting.api, &sandbox).await;
        }
        if i % 4 == 1 {
            let (party, operation, times) = ERRORS[rng.random_range(0..ERRORS.len())];
            sandbox
                .inject_fault(party, operation, "error", times, None)
                .await;
        }
        if rng.random_bool(0.6) {
            let (party, operation, max_delay) = SLOWED[rng.random_range(0..SLOWED.len())];
            // Never queued before the decline (see `inject_decline_when_quiet`).
            if operation != "create_credit_account" || i >= DECLINE_AT {
                let delay = rng.random_range(150..max_delay);
                let times = rng.random_range(1..=2);
                sandbox
                    .inject_fault(party, operation, "timeout", times, Some(delay))
                    .await;
            }
        }
        posting.retrying.push((i, Instant::now()));
        posting.retry_pending(&mut rng).await;
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..300))).await;
    }
    first_pass.store(true, Ordering::Relaxed);
    while !posting.retrying.is_empty() {
        posting.retry_pending(&mut rng).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (injected, posting.suppliers)
}

/// The creator's POSTs: the applications not accepted yet (with their first
/// attempt) and the suppliers started so far.
struct Posting {
    api: Api,
    apps: Applications,
    stop: Arc<AtomicBool>,
    anomalies: Anomalies,
    retrying: Vec<(usize, Instant)>,
    suppliers: Vec<JoinHandle<()>>,
}

impl Posting {
    /// One POST attempt for every application not accepted yet; a supplier
    /// accepted now thinks for a random time (up to 1.5 s) before supplying.
    async fn retry_pending(&mut self, rng: &mut StdRng) {
        let think = Duration::from_millis(rng.random_range(0..1500));
        let mut still = Vec::new();
        for (i, first) in std::mem::take(&mut self.retrying) {
            let (body, key, kind, card) = {
                let all = self.apps.lock().unwrap();
                let app = &all[i];
                (
                    app.body.clone(),
                    app.idempotency_key.clone(),
                    app.kind,
                    app.card.clone(),
                )
            };
            let last = match posted(self.api.try_apply_for_credit(&body, Some(&key)).await) {
                Posted::Accepted(id) => {
                    self.apps.lock().unwrap()[i].id = Some(id.clone());
                    if kind == Kind::SupplyCard {
                        self.suppliers.push(tokio::spawn(supplier::supply(
                            self.api.clone(),
                            id,
                            card.expect("card to supply"),
                            think,
                            self.stop.clone(),
                            self.anomalies.clone(),
                        )));
                    }
                    continue;
                }
                Posted::Retry(last) => last,
                Posted::Unexpected(reply) => {
                    self.anomalies.lock().unwrap().push(format!(
                        "application {i}: POST /v1/credit-applications answered {} {}",
                        reply.status, reply.text
                    ));
                    continue;
                }
            };
            if first.elapsed() > Duration::from_secs(45) {
                self.anomalies.lock().unwrap().push(format!(
                    "application {i}: POST /v1/credit-applications not accepted within 45 s; last: {last}"
                ));
            } else {
                still.push((i, first));
            }
        }
        self.retrying = still;
    }
}

/// Queues one decline of `create_credit_account` once no applied
/// `create_credit_account` is still unknown to its saga: the sandbox checks faults
/// before replaying a call, so a decline consumed by the retry of an applied call
/// would leave a credit account behind a compensated saga (a test artefact, not
/// the orchestrator's doing). Gives up after 10 s; returns whether it was queued.
async fn inject_decline_when_quiet(api: &Api, sandbox: &SandboxClient) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if quiet(api, sandbox).await {
            sandbox
                .inject_fault("bank", "create_credit_account", "decline", 1, None)
                .await;
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("credit crash test: no quiet moment for the decline; none injected");
    false
}

/// Whether every workflow with an applied `create_credit_account` is final.
async fn quiet(api: &Api, sandbox: &SandboxClient) -> bool {
    let ledger = sandbox.ledger().await;
    for id in ledger.workflow_ids() {
        if ledger.count(&id, "create_credit_account") == 0 {
            continue;
        }
        match api.try_get_credit_application(&id, 0).await {
            Ok(reply) if reply.status == 200 && is_final(&reply.body) => {}
            _ => return false,
        }
    }
    true
}
