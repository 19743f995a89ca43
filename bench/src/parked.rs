//! Memory that sagas parked on open security prompts cost the orchestrator.

use std::time::Duration;

use crate::cpu::Processes;
use crate::flows::Shared;
use crate::load::{self, Job, Stop};
use crate::procs::rss_bytes;
use crate::redis_target::RedisTarget;
use crate::run_result::RunResult;

/// The outcome of parking.
pub struct Parked {
    /// The run that parked them (latency is start-to-waiting).
    pub run: RunResult,
    /// Orchestrator RSS before, in bytes.
    pub rss_before: u64,
    /// Orchestrator RSS once all are waiting, in bytes.
    pub rss_after: u64,
    /// Redis `used_memory` before and after, in bytes.
    pub redis_memory: (u64, u64),
}

impl Parked {
    /// RSS growth in bytes (negative if it shrank).
    pub fn rss_delta(&self) -> i64 {
        self.rss_after as i64 - self.rss_before as i64
    }
}

/// Parks `count` sagas at `concurrency` and measures RSS of `pid` before and after.
pub async fn measure(
    shared: &Shared,
    processes: &Processes,
    redis: &RedisTarget,
    pid: u32,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<Parked> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_before = rss_bytes(pid)?;
    let redis_before = redis.info_u64("memory", "used_memory").await?;
    let run = load::run(
        shared,
        processes,
        Job::Park,
        concurrency,
        Stop::Count(count),
    )
    .await;
    // Let in-flight work (index writes, dropped buffers) finish before reading.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = rss_bytes(pid)?;
    let redis_after = redis.info_u64("memory", "used_memory").await?;
    Ok(Parked {
        run,
        rss_before,
        rss_after,
        redis_memory: (redis_before, redis_after),
    })
}
