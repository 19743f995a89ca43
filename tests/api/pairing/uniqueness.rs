//! 2,000 codes created by 32 concurrent clients at random places inside a 2 km square: no
//! two live codes whose ranges overlap share a code.

use std::sync::Arc;

use onboard_tests::{TestEnv, TestEnvBuilder};
use rand::Rng;
use tokio::sync::Mutex;

use super::{issue, wallet_user, Place, RADIUS_M};

const CODES: usize = 2_000;
const CLIENTS: usize = 32;

async fn no_two_overlapping_live_codes_share_a_code(builder: TestEnvBuilder) {
    // Long-lived codes, so that every code issued is still live when they are compared.
    let env = Arc::new(
        builder
            .env("ONBOARD_PAIRING__TTL_SECS", 3_600)
            .start()
            .await,
    );
    let issued = Arc::new(Mutex::new(Vec::with_capacity(CODES)));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (env, issued) = (env.clone(), issued.clone());
            tokio::spawn(async move { issue_share(&env, client, &issued).await })
        })
        .collect();
    for client in clients {
        client.await.expect("client");
    }
    let issued = issued.lock().await;
    assert_eq!(issued.len(), CODES);
    let mut overlapping = 0_u64;
    for (i, (code, at)) in issued.iter().enumerate() {
        for (other_code, other_at) in &issued[i + 1..] {
            if at.distance_m(*other_at) < 2.0 * RADIUS_M {
                overlapping += 1;
                assert_ne!(code, other_code, "{at:?} and {other_at:?} overlap");
            }
        }
    }
    // The square is dense enough that most pairs' ranges overlap: the check has teeth.
    assert!(
        overlapping > 100_000,
        "only {overlapping} overlapping pairs"
    );
}

async fn issue_share(env: &TestEnv, client: usize, issued: &Mutex<Vec<(String, Place)>>) {
    let corner = Place::centre();
    for _ in (client..CODES).step_by(CLIENTS) {
        let (_, account) = wallet_user(env).await;
        let at = {
            let mut rng = rand::rng();
            corner
                .north(rng.random_range(0.0..2_000.0))
                .east(rng.random_range(0.0..2_000.0))
        };
        let reply = issue(env, &account, at, "pay").await;
        reply.expect_status(201, "POST /v1/pairing-codes");
        let code = reply.body["code"].as_str().expect("code").to_owned();
        assert_eq!(code.len(), 6, "{code}");
        assert!(code.bytes().all(|b| b.is_ascii_digit()), "{code}");
        issued.lock().await.push((code, at));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_no_two_overlapping_live_codes_share_a_code() {
    no_two_overlapping_live_codes_share_a_code(TestEnvBuilder::redis()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn embedded_no_two_overlapping_live_codes_share_a_code() {
    no_two_overlapping_live_codes_share_a_code(TestEnvBuilder::embedded()).await;
}
