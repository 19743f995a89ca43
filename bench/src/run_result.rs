//! The outcome of one timed run of closed-loop workers, whichever loop drove them (the
//! sagas of [`crate::load`], the numbered jobs of [`crate::pairing::drive`]): each worker
//! counts its own jobs, and the run is the sum of its workers.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::task::JoinHandle;

/// The outcome of one run, or of one of its workers.
pub struct RunResult {
    /// Workers.
    pub concurrency: usize,
    /// Wall time from the first start to the last worker's end.
    pub elapsed: Duration,
    /// CPU seconds by process role during the run; empty where the run did not sample the
    /// processes (the pairing and linking parts).
    pub cpu: Vec<(&'static str, f64)>,
    /// Jobs that ended as expected: a saga in the expected status, or the answer a part
    /// expects.
    pub ok: u64,
    /// Jobs that failed (HTTP error, unexpected answer or status, timeout).
    pub errors: u64,
    /// The first error seen (of the first worker, in start order, that saw one), for the
    /// log.
    pub first_error: Option<String>,
    /// Latency of the successful jobs, in microseconds (1 µs to 120 s, 3 significant
    /// digits).
    pub latency_us: Histogram<u64>,
}

impl RunResult {
    /// Nothing counted yet: where each worker, and the sum of a run's workers, start.
    pub fn empty(concurrency: usize) -> RunResult {
        RunResult {
            concurrency,
            elapsed: Duration::ZERO,
            cpu: Vec::new(),
            ok: 0,
            errors: 0,
            first_error: None,
            latency_us: histogram(),
        }
    }

    /// Counts a job that ended as expected after `latency`.
    pub fn record_ok(&mut self, latency: Duration) {
        self.ok += 1;
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.latency_us.saturating_record(us.max(1));
    }

    /// Counts a failed job; the first failure's text is kept for the log.
    pub fn record_error(&mut self, error: &anyhow::Error) {
        self.errors += 1;
        self.first_error.get_or_insert_with(|| format!("{error:#}"));
    }

    /// The run of `concurrency` workers started at `started`, once all have ended: their
    /// counts and latencies summed, a worker that panicked counted as one error.
    pub async fn of_workers(
        concurrency: usize,
        started: Instant,
        workers: Vec<JoinHandle<RunResult>>,
    ) -> RunResult {
        let mut total = RunResult::empty(concurrency);
        for worker in workers {
            match worker.await {
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
        total.elapsed = started.elapsed();
        total
    }

    /// Successful jobs per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency quantile `q` in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }

    /// Logs the run to stderr under `label`: count, rate, latencies, errors and the first
    /// error, so that a long bench shows each result as it comes.
    pub fn log(&self, label: &str) {
        eprintln!(
            "  {label} c={}: {} ok in {:.1} s = {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
            self.concurrency,
            self.ok,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.errors
        );
        if let Some(error) = &self.first_error {
            eprintln!("    first error: {error}");
        }
    }
}

/// Latencies from 1 µs to 120 s at 3 significant digits.
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds")
}
