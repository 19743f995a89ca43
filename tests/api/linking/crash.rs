//! kill -9 during service requests: the orchestrator is killed at random moments while
//! merchants send charges (each retried under its own Idempotency-Key until accepted);
//! afterwards every request completed, and the wallet's ledger holds exactly one charge per
//! request: none doubled, none lost.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use onboard_tests::{Api, TestEnvBuilder, MERCHANT_KEY};

use super::{linked, settled};
use crate::chaos::{self, Flow};

/// Charges sent during the kills.
const REQUESTS: usize = 60;
/// Linked accounts the charges spread over.
const ACCOUNTS: usize = 6;
/// Kills at least.
const KILLS: u32 = 8;

const FLOW: Flow = Flow {
    test: "service request crash test",
    item: "service request",
    listed: "workflows",
    kind: "service_request",
    collection: "/v1/service-requests",
    key: MERCHANT_KEY,
};

/// Sends charge `n` until the orchestrator accepts it (transport errors, 5xx and 409
/// `idempotency_key_in_use` are retried under the same key); its id.
async fn send_until_accepted(api: Api, virtual_id: String, n: usize) -> Option<String> {
    let key = format!("charge-{n}");
    let amount = format!("{}.{:02}", 1 + n, n % 100);
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        let body = super::charge_body(&virtual_id, &amount);
        let sent = api
            .try_send(
                reqwest::Method::POST,
                "/v1/service-requests",
                Some(MERCHANT_KEY),
                Some(&key),
                Some(&body),
            )
            .await;
        match sent {
            Ok(reply) if reply.status == 201 => {
                return reply.body["id"].as_str().map(str::to_owned);
            }
            Ok(reply) if reply.status < 500 && reply.status != 409 => {
                panic!("charge {n} refused: {} {}", reply.status, reply.text)
            }
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_service_requests_survive_kill_9_without_doubling_or_losing_a_charge() {
    survive_kill_9(TestEnvBuilder::redis()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn embedded_service_requests_survive_kill_9_without_doubling_or_losing_a_charge() {
    survive_kill_9(TestEnvBuilder::embedded()).await;
}

async fn survive_kill_9(store: TestEnvBuilder) {
    let seed = chaos::seed(&FLOW);
    let mut rng = chaos::rng(seed);
    let started = Instant::now();
    let mut stage = chaos::stage_on(store, "onboard-e2e-linking-", |b| b).await;
    let env = &mut stage.env;

    let mut virtual_ids = Vec::new();
    for _ in 0..ACCOUNTS {
        let account = env
            .sandbox
            .create_wallet_user(&onboard_tests::person())
            .await;
        virtual_ids.push(linked(&env.api, MERCHANT_KEY, &account).await);
    }
    let accepted: Arc<Mutex<Vec<Option<String>>>> = Arc::new(Mutex::new(vec![None; REQUESTS]));
    let sender = {
        let (api, accepted) = (env.api.clone(), accepted.clone());
        tokio::spawn(async move {
            stream::iter(0..REQUESTS)
                .for_each_concurrent(4, |n| {
                    let (api, accepted) = (api.clone(), accepted.clone());
                    let virtual_id = virtual_ids[n % ACCOUNTS].clone();
                    async move {
                        // Paced, so that the charges span the kills.
                        let pause = 50 + (n as u64 * 37) % 200;
                        tokio::time::sleep(Duration::from_millis(pause)).await;
                        let id = send_until_accepted(api, virtual_id, n).await;
                        accepted.lock().unwrap()[n] = id;
                    }
                })
                .await;
        })
    };
    let limit = Duration::from_secs(150);
    let kills = chaos::kill_loop(&mut env.server, &mut rng, KILLS, started, limit, || {
        sender.is_finished()
    })
    .await;
    sender.await.expect("the sender");

    let ids: Vec<String> = accepted
        .lock()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(n, id)| {
            id.clone()
                .unwrap_or_else(|| panic!("charge {n} was never accepted"))
        })
        .collect();
    let mut problems = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        let done = settled(&env.api, id).await;
        if done["status"] != "completed" {
            problems.push(format!("charge {n} ({id}) ended {done}"));
        }
    }
    let ledger = env.sandbox.ledger().await;
    for (n, id) in ids.iter().enumerate() {
        let charges = ledger.count(id, "charge");
        if charges != 1 {
            problems.push(format!("charge {n} ({id}) was applied {charges} times"));
        }
    }
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), REQUESTS, "every charge is its own request");
    eprintln!(
        "{}: seed {seed}, {kills} kills, {} incarnations, {REQUESTS} charges, {:.1} s",
        FLOW.test,
        env.server.incarnations(),
        started.elapsed().as_secs_f64()
    );
    assert!(kills >= KILLS, "only {kills} kills");
    assert!(problems.is_empty(), "seed {seed}: {problems:#?}");
}
