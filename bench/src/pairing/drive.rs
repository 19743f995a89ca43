//! The closed loop of scenario P (and of the account-linking part): N workers take numbered
//! jobs until a deadline or a count, or until a job finds its fixture pool empty, recording
//! latencies.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::credit::Exhausted;
use crate::load::Stop;
use crate::run_result::RunResult;

/// Runs `job(i)` for i = 0, 1, … on `concurrency` workers until `stop`; a worker whose job
/// fails with [`Exhausted`] stops there (not an error).
pub async fn drive<F, Fut>(concurrency: usize, stop: Stop, job: F) -> RunResult
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let job = Arc::new(job);
    let tickets = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let (job, tickets) = (job.clone(), tickets.clone());
            tokio::spawn(async move {
                let mut part = RunResult::empty(1);
                loop {
                    let i = tickets.fetch_add(1, Ordering::Relaxed);
                    let go_on = match stop {
                        Stop::After(duration) => started.elapsed() < duration,
                        Stop::Count(total) => i < total,
                    };
                    if !go_on {
                        return part;
                    }
                    let begun = Instant::now();
                    match job(i).await {
                        Ok(()) => part.record_ok(begun.elapsed()),
                        Err(e) if e.is::<Exhausted>() => return part,
                        Err(e) => part.record_error(&e),
                    }
                }
            })
        })
        .collect();
    RunResult::of_workers(concurrency, started, workers).await
}
