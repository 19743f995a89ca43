//! The crash test's workload: a seeded plan of sagas, a creator that starts them
//! (retrying with the same `Idempotency-Key` while the orchestrator is down), and
//! a decider that approves or rejects open prompts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use onboard_tests::{
    card_number, is_final, onboarding_body, person, Api, Person, SandboxClient, WALLET_KEY,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::Value;

use crate::chaos::tracked;
use crate::chaos::{posted, Anomalies, Posted};

/// What the decider does with a saga's prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    /// Leave it open until its deadline.
    Timeout,
}

/// The kind of saga, which fixes what its outcome may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// No wallet account yet: registered, bound, prompted.
    NewPerson(Decision),
    /// A wallet account exists: bound, no prompt.
    Existing,
    /// The bank declines the card; `existing` says whether a wallet account exists.
    Declined { existing: bool },
}

/// One planned saga and what became of it.
#[derive(Debug, Clone)]
pub struct Saga {
    pub kind: Kind,
    pub person: Person,
    pub card: String,
    pub body: Value,
    pub idempotency_key: String,
    /// The account the fixture made, for persons that existed.
    pub fixture_account: Option<String>,
    /// The workflow id, once a POST was accepted.
    pub id: Option<String>,
    /// Whether the decider is done with it.
    pub decided: bool,
    /// The final workflow.
    pub outcome: Option<Value>,
}

impl Saga {
    /// Whether a wallet account existed before the saga.
    pub fn existed(&self) -> bool {
        matches!(
            self.kind,
            Kind::Existing | Kind::Declined { existing: true }
        )
    }
}

tracked!(Saga, Kind);

/// The sagas, shared by the tasks.
pub type Sagas = Arc<Mutex<Vec<Saga>>>;

/// A seeded plan of `n` sagas.
pub fn plan(rng: &mut StdRng, n: usize) -> Vec<Saga> {
    (0..n)
        .map(|i| {
            let roll = rng.random_range(0..100);
            let kind = match roll {
                0..=29 => Kind::NewPerson(Decision::Approve),
                30..=44 => Kind::NewPerson(Decision::Reject),
                45..=59 => Kind::NewPerson(Decision::Timeout),
                60..=84 => Kind::Existing,
                _ => Kind::Declined {
                    existing: rng.random_bool(0.5),
                },
            };
            let person = person();
            let card = match kind {
                Kind::Declined { .. } => "4000000000000002".to_owned(),
                _ => card_number(),
            };
            let body = onboarding_body(&person, &card);
            Saga {
                kind,
                person,
                card,
                body,
                idempotency_key: format!("crash-{i}-{}", uuid::Uuid::new_v4().simple()),
                fixture_account: None,
                id: None,
                decided: false,
                outcome: None,
            }
        })
        .collect()
}

/// Faults the creator injects now and then: transient errors, slow answers
/// (applied, but answered after the connector's timeout) and one refusal.
const FAULTS: [(&str, &str, &str, u32, Option<u64>); 11] = [
    ("wallet", "bind_card", "error", 2, None),
    ("wallet", "register_account", "error", 2, None),
    ("wallet", "unbind_card", "error", 2, None),
    ("wallet", "close_account", "error", 1, None),
    ("wallet", "lookup_person", "error", 2, None),
    ("wallet", "security_rule", "error", 1, None),
    ("bank", "verify_card", "error", 1, None),
    ("wallet", "bind_card", "timeout", 1, Some(1500)),
    ("wallet", "register_account", "timeout", 1, Some(1500)),
    ("wallet", "unbind_card", "timeout", 1, Some(1500)),
    ("wallet", "bind_card", "decline", 1, None),
];

/// Operations that a latency fault slows down: the answer comes after the effect
/// was applied, so a kill meanwhile leaves an applied effect the orchestrator
/// has not heard of; above the connector timeout (1 s) the call is also retried.
const SLOWED: [(&str, &str); 7] = [
    ("wallet", "lookup_person"),
    ("wallet", "register_account"),
    ("bank", "verify_card"),
    ("wallet", "bind_card"),
    ("wallet", "security_rule"),
    ("wallet", "unbind_card"),
    ("wallet", "close_account"),
];

/// Starts every planned saga, one after another with random pauses, often
/// slowing a random party operation and injecting a random failure before every
/// fifth. A POST that fails (server down, key in flight, 5xx) is retried with
/// the same key until 45 s have passed.
pub async fn create_all(
    api: Api,
    sandbox: SandboxClient,
    sagas: Sagas,
    seed: u64,
    anomalies: Anomalies,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let n = sagas.lock().unwrap().len();
    let mut declines_left = 1;
    for i in 0..n {
        if i % 5 == 2 {
            let mut fault = FAULTS[rng.random_range(0..FAULTS.len())];
            if fault.2 == "decline" {
                if declines_left == 0 {
                    fault = FAULTS[0];
                } else {
                    declines_left -= 1;
                }
            }
            let (party, operation, mode, times, delay) = fault;
            sandbox
                .inject_fault(party, operation, mode, times, delay)
                .await;
        }
        if rng.random_bool(0.6) {
            let (party, operation) = SLOWED[rng.random_range(0..SLOWED.len())];
            let delay = rng.random_range(150..1300);
            let times = rng.random_range(1..=3);
            sandbox
                .inject_fault(party, operation, "timeout", times, Some(delay))
                .await;
        }
        let (body, key) = {
            let all = sagas.lock().unwrap();
            (all[i].body.clone(), all[i].idempotency_key.clone())
        };
        let deadline = Instant::now() + Duration::from_secs(45);
        let id = loop {
            let last = match posted(api.try_start_onboarding(&body, &key).await) {
                Posted::Accepted(id) => break Some(id),
                Posted::Retry(last) => last,
                Posted::Unexpected(reply) => {
                    anomalies.lock().unwrap().push(format!(
                        "saga {i}: POST /v1/onboardings answered {} {}",
                        reply.status, reply.text
                    ));
                    break None;
                }
            };
            if Instant::now() > deadline {
                anomalies.lock().unwrap().push(format!(
                    "saga {i}: POST /v1/onboardings not accepted within 45 s; last: {last}"
                ));
                break None;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        sagas.lock().unwrap()[i].id = id;
        tokio::time::sleep(Duration::from_millis(rng.random_range(50..300))).await;
    }
}

/// Until `stop`, looks at undecided sagas and decides their open prompts as
/// planned (each pass skips some at random, so decisions spread over restarts).
/// The decision carries an `Idempotency-Key`, so a retry after a crash replays.
pub async fn decide_loop(
    api: Api,
    sagas: Sagas,
    seed: u64,
    stop: Arc<AtomicBool>,
    anomalies: Anomalies,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    while !stop.load(Ordering::Relaxed) {
        let pending: Vec<(usize, String, Decision)> = sagas
            .lock()
            .unwrap()
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match (s.kind, &s.id, s.decided) {
                (Kind::NewPerson(d @ (Decision::Approve | Decision::Reject)), Some(id), false) => {
                    Some((i, id.clone(), d))
                }
                _ => None,
            })
            .collect();
        for (i, id, decision) in pending {
            if rng.random_bool(0.5) {
                continue;
            }
            let use_listing = rng.random_bool(0.3);
            if let Some(done) = decide_one(&api, &id, decision, use_listing, &anomalies).await {
                sagas.lock().unwrap()[i].decided = done;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One attempt; `Some(true)` when the saga needs no more decisions.
async fn decide_one(
    api: &Api,
    id: &str,
    decision: Decision,
    use_listing: bool,
    anomalies: &Anomalies,
) -> Option<bool> {
    let workflow = api.try_get_onboarding(id, 0).await.ok()?;
    if workflow.status != 200 {
        if workflow.status < 500 {
            anomalies.lock().unwrap().push(format!(
                "GET /v1/onboardings/{id} answered {} {}",
                workflow.status, workflow.text
            ));
        }
        return None;
    }
    if is_final(&workflow.body) {
        return Some(true);
    }
    if workflow.body["status"] != "waiting" {
        return None;
    }
    let mut prompt_id = workflow.body["waiting_for"]["prompt_id"]
        .as_str()?
        .to_owned();
    if use_listing {
        let account = workflow.body["result"]["payment_account_id"].as_str()?;
        let path = format!("/v1/security-prompts?payment_account_id={account}");
        let listed = api
            .try_send(Method::GET, &path, Some(WALLET_KEY), None, None)
            .await
            .ok()?;
        let found = listed.body["prompts"]
            .as_array()
            .and_then(|all| all.iter().find(|p| p["workflow_id"] == id))
            .and_then(|p| p["id"].as_str());
        match found {
            Some(found) => prompt_id = found.to_owned(),
            // It may have expired between the two reads; look again next pass.
            None => return None,
        }
    }
    let word = match decision {
        Decision::Approve => "approve",
        _ => "reject",
    };
    let key = format!("decide-{prompt_id}");
    let reply = api.try_decide(&prompt_id, word, Some(&key)).await.ok()?;
    match (reply.status, reply.code()) {
        (200, _) | (409, Some("prompt_closed")) => Some(true),
        (409, Some("idempotency_key_in_use")) => None,
        (status, _) if status >= 500 => None,
        (status, _) => {
            anomalies.lock().unwrap().push(format!(
                "decision {word} on prompt {prompt_id} of {id} answered {status} {}",
                reply.text
            ));
            Some(true)
        }
    }
}
