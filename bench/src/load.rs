//! Closed-loop load: N workers each run one saga after another until a deadline or a
//! saga count is reached, recording latencies in an HDR histogram.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::cpu::Processes;
use crate::credit::Exhausted;
use crate::flows::{SagaPath, Shared, Worker};
use crate::run_result::RunResult;

/// What each worker does once per iteration.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    /// A whole saga of the path, to `completed`.
    Saga(SagaPath),
    /// A prompt-path saga left waiting on its prompt.
    Park,
}

/// When the workers stop taking new sagas.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// After this long.
    After(Duration),
    /// After this many sagas in all.
    Count(usize),
}

/// Runs `job` on `concurrency` workers until `stop`.
pub async fn run(
    shared: &Shared,
    processes: &Processes,
    job: Job,
    concurrency: usize,
    stop: Stop,
) -> RunResult {
    let tickets = Arc::new(AtomicUsize::new(0));
    let cpu_before = processes.snapshot();
    let started = Instant::now();
    let mut handles = Vec::with_capacity(concurrency);
    for _ in 0..concurrency.max(1) {
        let worker = Worker::new(shared.clone());
        let tickets = tickets.clone();
        handles.push(tokio::spawn(work(worker, job, stop, started, tickets)));
    }
    let mut run = RunResult::of_workers(concurrency, started, handles).await;
    run.cpu = processes.since(&cpu_before);
    run
}

async fn work(
    mut worker: Worker,
    job: Job,
    stop: Stop,
    started: Instant,
    tickets: Arc<AtomicUsize>,
) -> RunResult {
    let mut result = RunResult::empty(1);
    loop {
        let go_on = match stop {
            Stop::After(duration) => started.elapsed() < duration,
            Stop::Count(total) => tickets.fetch_add(1, Ordering::Relaxed) < total,
        };
        if !go_on {
            return result;
        }
        let outcome = match job {
            Job::Saga(path) => worker.run(path).await,
            Job::Park => {
                let begun = Instant::now();
                worker.park().await.map(|_| begun.elapsed())
            }
        };
        match outcome {
            Ok(latency) => result.record_ok(latency),
            Err(e) if e.is::<Exhausted>() => return result,
            Err(e) => {
                result.record_error(&e);
                // Do not spin on a persistent failure.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}
