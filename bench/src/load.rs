//! Closed-loop load: N workers each run one saga after another until a deadline or a
//! saga count is reached, recording latencies in an HDR histogram.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::cpu::Processes;
use crate::credit::Exhausted;
use crate::flows::{SagaPath, Shared, Worker};

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

/// The outcome of one run.
pub struct RunResult {
    /// Workers.
    pub concurrency: usize,
    /// Sagas that reached the expected status.
    pub ok: u64,
    /// Sagas that failed (HTTP error, wrong status, timeout).
    pub errors: u64,
    /// The first error seen, for the log.
    pub first_error: Option<String>,
    /// Wall time from the first start to the last worker's end.
    pub elapsed: Duration,
    /// Latency of the successful sagas, in microseconds.
    pub latency_us: Histogram<u64>,
    /// CPU seconds by process role during the run.
    pub cpu: Vec<(&'static str, f64)>,
}

impl RunResult {
    /// Successful sagas per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency quantile `q` in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }
}

struct WorkerResult {
    ok: u64,
    errors: u64,
    first_error: Option<String>,
    latency_us: Histogram<u64>,
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds")
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
    let mut total = WorkerResult {
        ok: 0,
        errors: 0,
        first_error: None,
        latency_us: histogram(),
    };
    for handle in handles {
        match handle.await {
            Ok(part) => {
                total.ok += part.ok;
                total.errors += part.errors;
                total.first_error = total.first_error.or(part.first_error);
                total
                    .latency_us
                    .add(&part.latency_us)
                    .expect("same histogram bounds");
            }
            Err(e) => {
                total.errors += 1;
                total.first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    let elapsed = started.elapsed();
    RunResult {
        concurrency,
        ok: total.ok,
        errors: total.errors,
        first_error: total.first_error,
        elapsed,
        latency_us: total.latency_us,
        cpu: processes.since(&cpu_before),
    }
}

async fn work(
    mut worker: Worker,
    job: Job,
    stop: Stop,
    started: Instant,
    tickets: Arc<AtomicUsize>,
) -> WorkerResult {
    let mut result = WorkerResult {
        ok: 0,
        errors: 0,
        first_error: None,
        latency_us: histogram(),
    };
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
            Ok(latency) => {
                result.ok += 1;
                let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
                result.latency_us.saturating_record(us.max(1));
            }
            Err(e) if e.is::<Exhausted>() => return result,
            Err(e) => {
                result.errors += 1;
                result.first_error.get_or_insert_with(|| format!("{e:#}"));
                // Do not spin on a persistent failure.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}
