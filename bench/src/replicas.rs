//! Three replicas on one Redis: throughput and latency of the no-prompt path through all
//! three in turn, then the failover time after one replica is killed with SIGKILL: from
//! the kill until the last saga whose lease it held has left the active set (finished,
//! or parked on a person) under another replica.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use redis::AsyncCommands as _;

use crate::api::Api;
use crate::cpu::Processes;
use crate::flows::{SagaPath, Shared};
use crate::load::{self, Job, Stop};
use crate::procs::Managed;
use crate::redis_target::RedisTarget;
use crate::run_result::RunResult;
use crate::services::{self, ServiceConfig, Services};

/// Partitions of the Redis key layout (see the store's `layout.rs`).
const PARTITIONS: u32 = 16;
/// The workers of both runs.
const CONCURRENCY: usize = 64;
/// How long the failover run loads the replicas before the kill.
const BEFORE_KILL: Duration = Duration::from_secs(3);

/// What the three-replica part measured.
pub struct Replicas {
    /// The no-prompt path through three replicas.
    pub run: RunResult,
    /// Sagas whose lease the killed replica held when it died.
    pub affected: usize,
    /// From the kill until the last of them left the active set.
    pub failover: Duration,
    /// The failover run itself (its errors are the requests cut off by the kill).
    pub failover_run: RunResult,
}

/// Starts replicas `r1` and `r2` beside the suite's `r0`, measures, and stops them.
pub async fn measure(
    config: &ServiceConfig<'_>,
    services: &Services,
    redis: &RedisTarget,
    shared: &Shared,
    duration: Duration,
) -> anyhow::Result<Replicas> {
    let sandbox = Some(services.sandbox_url.as_str());
    let (r1_url, r1) = services::replica(config, sandbox, "r1").await?;
    let (r2_url, mut r2) = services::replica(config, sandbox, "r2").await?;
    let pids = vec![
        ("r0", services.orchestrator.pid()),
        ("r1", r1.pid()),
        ("r2", r2.pid()),
    ];
    let processes = Processes::new(pids);
    let bases = vec![services.base_url.clone(), r1_url.clone(), r2_url];
    let balanced = Shared {
        api: Api::balanced(bases, &services.sandbox_url)?,
        ..shared.clone()
    };
    let run = load::run(
        &balanced,
        &processes,
        Job::Saga(SagaPath::NoPrompt),
        CONCURRENCY,
        Stop::After(duration),
    )
    .await;
    let (affected, failover, failover_run) =
        failover(config, redis, &balanced, &processes, r1, &r1_url, duration).await?;
    r2.stop();
    Ok(Replicas {
        run,
        affected,
        failover,
        failover_run,
    })
}

/// Loads the replicas, kills `r1` with SIGKILL after [`BEFORE_KILL`], and times the
/// takeover of the sagas it held.
async fn failover(
    config: &ServiceConfig<'_>,
    redis: &RedisTarget,
    balanced: &Shared,
    processes: &Processes,
    mut r1: Managed,
    r1_url: &str,
    duration: Duration,
) -> anyhow::Result<(usize, Duration, RunResult)> {
    let load = {
        let (shared, processes) = (balanced.clone(), processes.clone());
        let stop = Stop::After(duration.max(BEFORE_KILL * 3));
        tokio::spawn(async move {
            load::run(
                &shared,
                &processes,
                Job::Saga(SagaPath::NoPrompt),
                CONCURRENCY,
                stop,
            )
            .await
        })
    };
    tokio::time::sleep(BEFORE_KILL).await;
    balanced.api.retire(r1_url);
    r1.kill9();
    let killed = Instant::now();
    let affected = held_by(redis, config.key_prefix, "r1").await?;
    let mut left = affected.clone();
    while !left.is_empty() {
        anyhow::ensure!(
            killed.elapsed() < Duration::from_secs(60),
            "{} sagas of the killed replica still active after 60 s",
            left.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
        let active = active(redis, config.key_prefix).await?;
        left.retain(|id| active.contains(id));
    }
    let failover = killed.elapsed();
    let run = load.await?;
    Ok((affected.len(), failover, run))
}

/// The active sagas whose lease `replica` holds.
async fn held_by(
    redis: &RedisTarget,
    prefix: &str,
    replica: &str,
) -> anyhow::Result<BTreeSet<String>> {
    let mut con = redis.con();
    let mut held = BTreeSet::new();
    for partition in 0..PARTITIONS {
        let tag = format!("{prefix}:{{p{partition:02}}}");
        let ids: Vec<String> = con.smembers(format!("{tag}:active")).await?;
        for id in ids {
            let owner: Option<String> = con.hget(format!("{tag}:saga:{id}"), "lo").await?;
            if owner.as_deref() == Some(replica) {
                held.insert(id);
            }
        }
    }
    Ok(held)
}

/// Every active saga.
async fn active(redis: &RedisTarget, prefix: &str) -> anyhow::Result<BTreeSet<String>> {
    let mut con = redis.con();
    let mut active = BTreeSet::new();
    for partition in 0..PARTITIONS {
        let ids: Vec<String> = con
            .smembers(format!("{prefix}:{{p{partition:02}}}:active"))
            .await?;
        active.extend(ids);
    }
    Ok(active)
}
