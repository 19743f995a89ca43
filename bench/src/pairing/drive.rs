//! The closed loop of scenario P (and of the account-linking part): N workers take numbered
//! jobs until a deadline or a count, or until a job finds its fixture pool empty, recording
//! latencies.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;

use crate::credit::Exhausted;
use crate::load::Stop;

/// Latencies and outcomes of one timed part.
pub struct Timed {
    /// Workers.
    pub concurrency: usize,
    /// Requests answered as expected.
    pub ok: u64,
    /// Requests answered otherwise.
    pub errors: u64,
    /// The first unexpected answer.
    pub first_error: Option<String>,
    /// Wall time.
    pub elapsed: Duration,
    /// Latency of the expected answers, microseconds.
    pub latency_us: Histogram<u64>,
}

impl Timed {
    /// Expected answers per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency quantile `q`, milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }
}

/// Runs `job(i)` for i = 0, 1, … on `concurrency` workers until `stop`; a worker whose job
/// fails with [`Exhausted`] stops there (not an error).
pub async fn drive<F, Fut>(concurrency: usize, stop: Stop, job: F) -> Timed
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
                let mut timed = Timed {
                    concurrency,
                    ok: 0,
                    errors: 0,
                    first_error: None,
                    elapsed: Duration::ZERO,
                    latency_us: histogram(),
                };
                loop {
                    let i = tickets.fetch_add(1, Ordering::Relaxed);
                    let go_on = match stop {
                        Stop::After(duration) => started.elapsed() < duration,
                        Stop::Count(total) => i < total,
                    };
                    if !go_on {
                        return timed;
                    }
                    let begun = Instant::now();
                    match job(i).await {
                        Ok(()) => {
                            let us = u64::try_from(begun.elapsed().as_micros()).unwrap_or(u64::MAX);
                            timed.ok += 1;
                            timed.latency_us.saturating_record(us.max(1));
                        }
                        Err(e) if e.is::<Exhausted>() => return timed,
                        Err(e) => {
                            timed.errors += 1;
                            timed.first_error.get_or_insert_with(|| format!("{e:#}"));
                        }
                    }
                }
            })
        })
        .collect();
    let mut total = Timed {
        concurrency,
        ok: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latency_us: histogram(),
    };
    for worker in workers {
        match worker.await {
            Ok(part) => {
                total.ok += part.ok;
                total.errors += part.errors;
                total.first_error = total.first_error.or(part.first_error);
                let _ = total.latency_us.add(&part.latency_us);
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

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid histogram bounds")
}
