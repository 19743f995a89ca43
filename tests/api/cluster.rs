//! Onboard on a real Redis Cluster of three masters and three replicas, started by the
//! test: registrations run across every slot and keep going through a manual failover
//! and the SIGKILL of a master, with every effect applied once.

use std::time::Duration;

use onboard_tests::{
    card_number, onboarding_body, person, PrivateCluster, TestEnv, TestEnvBuilder, OPERATOR_KEY,
};
use reqwest::Method;

use crate::flows::assert_registered_once;

/// How long one request may keep failing while the cluster elects a new master: the
/// election takes seconds, but a request cut off by it keeps its Idempotency-Key in flight
/// (409) for 30 s.
const ELECTION: Duration = Duration::from_secs(45);

/// Starts a registration, retrying under one `Idempotency-Key` while the store is away.
async fn start(env: &TestEnv) -> String {
    let body = onboarding_body(&person(), &card_number());
    let key = uuid::Uuid::new_v4().to_string();
    let deadline = tokio::time::Instant::now() + ELECTION;
    loop {
        match env.api.try_start_onboarding(&body, &key).await {
            Ok(reply) if reply.status == 202 => {
                return reply.body["id"].as_str().expect("id").to_owned();
            }
            other => assert!(
                tokio::time::Instant::now() < deadline,
                "start never accepted: {other:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Approves the workflow's prompt, retrying while the store is away.
async fn approve(env: &TestEnv, id: &str) {
    let deadline = tokio::time::Instant::now() + ELECTION;
    loop {
        let waiting = env.api.wait_for_prompt(id).await;
        let prompt_id = waiting["waiting_for"]["prompt_id"]
            .as_str()
            .unwrap_or_else(|| panic!("not waiting on a prompt: {waiting}"));
        match env.api.try_decide(prompt_id, "approve", Some(id)).await {
            Ok(reply) if reply.status == 200 => return,
            other => assert!(
                tokio::time::Instant::now() < deadline,
                "approval never accepted: {other:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `count` registrations, each started, approved and completed, concurrently.
async fn registrations(env: &TestEnv, count: usize) -> Vec<String> {
    let runs = (0..count).map(|_| async {
        let id = start(env).await;
        approve(env, &id).await;
        let done = env.api.wait_final(&id).await;
        assert_eq!(done["status"], "completed", "{done}");
        id
    });
    futures::future::join_all(runs).await
}

#[tokio::test(flavor = "multi_thread")]
async fn registrations_complete_on_a_cluster_through_a_failover_and_a_killed_master() {
    let mut cluster = tokio::task::spawn_blocking(PrivateCluster::started)
        .await
        .expect("cluster");
    let env = TestEnvBuilder::redis_at(cluster.urls()).start().await;

    let mut ids = registrations(&env, 12).await;
    let (during_failover, cluster_back) = tokio::join!(
        registrations(&env, 12),
        tokio::task::spawn_blocking(move || {
            cluster.fail_over();
            cluster
        })
    );
    cluster = cluster_back.expect("failover");
    ids.extend(during_failover);
    let (during_kill, cluster_back) = tokio::join!(
        registrations(&env, 12),
        tokio::task::spawn_blocking(move || {
            cluster.kill_a_master();
            cluster
        })
    );
    let _cluster = cluster_back.expect("kill");
    ids.extend(during_kill);

    let ledger = env.sandbox.ledger().await;
    for id in &ids {
        assert_registered_once(&ledger, id);
    }
    // Every saga is listed once, across every slot. Its status is not asserted: Redis
    // replicates asynchronously, so the transitions a killed master acknowledged in its
    // last moments may not have reached the replica that took over, and such a saga is
    // back where it was before them (README, "Redis settings for production").
    let listed = env
        .api
        .send(
            Method::GET,
            "/v1/admin/workflows?limit=1000",
            Some(OPERATOR_KEY),
            None,
            None,
        )
        .await;
    listed.expect_status(200, "list across every slot");
    let mut listed: Vec<String> = listed.body["workflows"]
        .as_array()
        .expect("workflows")
        .iter()
        .map(|saga| saga["id"].as_str().expect("an id").to_owned())
        .collect();
    listed.sort();
    ids.sort();
    assert_eq!(listed, ids, "every saga is listed once");
}
