//! Scenario P: proximity pairing codes (seed 002). Codes issued and claimed per second at
//! one concurrency across a city, creation latency as the number of live codes within
//! one 1 km radius grows, and whether creation answers `codes_exhausted` on the way.
//! Wallet accounts are made (fixtures) before each timed part; codes live a day, so none
//! expires during the run.

mod drive;
mod places;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub use self::drive::drive;
use self::places::{city_point, disc_point, offset, place};
use crate::api::Api;
use crate::flows::Shared;
use crate::load::Stop;
use crate::run_result::RunResult;

/// Concurrent fixture and fill calls.
const FILL_CONCURRENCY: usize = 32;

/// What scenario P asks for.
pub struct PairingParams {
    /// Workers of the throughput parts.
    pub concurrency: usize,
    /// How long code creation runs.
    pub duration: Duration,
    /// Accounts issuing codes in the throughput parts; also the number of claims.
    pub accounts: usize,
    /// Live codes within the 1 km radius at which creation latency is sampled.
    pub densities: Vec<usize>,
    /// Creations sampled (one at a time) at each density.
    pub samples: usize,
}

/// One density step.
pub struct DensityStep {
    /// Live codes within the radius.
    pub live: usize,
    /// How long filling up to it took.
    pub fill: Duration,
    /// The sampled creations.
    pub creation: RunResult,
}

/// Everything scenario P measured.
pub struct PairingReport {
    /// Code creation across the city.
    pub create: RunResult,
    /// Claims (each consumes a code), 100 m from the issuer.
    pub claim: RunResult,
    /// Creation latency by density.
    pub densities: Vec<DensityStep>,
    /// The live-code count within the radius at which creation first answered
    /// `codes_exhausted`, if it did.
    pub exhausted_at: Option<usize>,
}

/// Runs scenario P.
pub async fn measure(shared: &Shared, params: &PairingParams) -> anyhow::Result<PairingReport> {
    let accounts = Arc::new(make_accounts(shared, params.accounts).await?);
    let api = shared.api.clone();
    let n = accounts.len();
    let (c, duration) = (params.concurrency, params.duration);
    let create = {
        let (api, accounts) = (api.clone(), accounts.clone());
        drive(c, Stop::After(duration), move |i| {
            let (api, account) = (api.clone(), accounts[i % n].clone());
            async move {
                let reply = issue(&api, &account, city_point(i as u64)).await?;
                expect_code(&reply)
            }
        })
        .await
    };
    eprintln!("  pairing create c={c}: {:.0}/s", create.rate());
    // One live code per account, then each claimed once, 100 m away, by its own claimant.
    let codes = Arc::new(Mutex::new(vec![(String::new(), (0.0, 0.0)); n]));
    let filled = {
        let (api, accounts, codes) = (api.clone(), accounts.clone(), codes.clone());
        drive(FILL_CONCURRENCY, Stop::Count(n), move |i| {
            let (api, account, codes) = (api.clone(), accounts[i].clone(), codes.clone());
            async move {
                let at = city_point(u64::MAX - i as u64);
                let reply = issue(&api, &account, at).await?;
                expect_code(&reply)?;
                let code = reply.1["code"].as_str().unwrap_or_default().to_owned();
                codes.lock().unwrap_or_else(PoisonError::into_inner)[i] = (code, at);
                Ok(())
            }
        })
        .await
    };
    anyhow::ensure!(
        filled.errors == 0,
        "issuing codes to claim: {:?}",
        filled.first_error
    );
    let claim = {
        let (api, codes) = (api.clone(), codes.clone());
        drive(c, Stop::Count(n), move |i| {
            let api = api.clone();
            let (code, at) = codes.lock().unwrap_or_else(PoisonError::into_inner)[i].clone();
            async move {
                let body = json!({
                    "code": code,
                    "payment_account_id": format!("pa_bench_claimant_{i}"),
                    "location": place(offset(at, 100.0, 0.0)),
                });
                let (status, value) = api.pairing("/v1/pairing-codes/claim", &body).await?;
                anyhow::ensure!(status == 200, "claim: HTTP {status}: {value}");
                Ok(())
            }
        })
        .await
    };
    eprintln!("  pairing claim c={c}: {:.0}/s", claim.rate());
    let (densities, exhausted_at) = densities(shared, params).await?;
    Ok(PairingReport {
        create,
        claim,
        densities,
        exhausted_at,
    })
}

/// Fills the 1 km radius step by step and samples creation at each density.
async fn densities(
    shared: &Shared,
    params: &PairingParams,
) -> anyhow::Result<(Vec<DensityStep>, Option<usize>)> {
    let api = shared.api.clone();
    let mut holders: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    let exhausted = Arc::new(Mutex::new(None::<usize>));
    for &target in &params.densities {
        let started = Instant::now();
        let fresh = Arc::new(make_accounts(shared, target.saturating_sub(holders.len())).await?);
        let base = holders.len();
        let fill = {
            let (api, fresh, exhausted) = (api.clone(), fresh.clone(), exhausted.clone());
            drive(FILL_CONCURRENCY, Stop::Count(fresh.len()), move |i| {
                let (api, account, exhausted) = (api.clone(), fresh[i].clone(), exhausted.clone());
                async move {
                    let reply = issue(&api, &account, disc_point((base + i) as u64)).await?;
                    if reply.0 == 503 && reply.1["code"] == "codes_exhausted" {
                        let mut first = exhausted.lock().unwrap_or_else(PoisonError::into_inner);
                        first.get_or_insert(base + i);
                    }
                    expect_code(&reply)
                }
            })
            .await
        };
        holders.extend(fresh.iter().cloned());
        let fill_took = started.elapsed();
        let sampled = Arc::new(holders.clone());
        let creation = {
            let (api, sampled) = (api.clone(), sampled.clone());
            drive(1, Stop::Count(params.samples), move |i| {
                let api = api.clone();
                let account = sampled[(i * 7_919) % sampled.len()].clone();
                async move {
                    let at = disc_point(u64::MAX / 2 + i as u64);
                    let reply = issue(&api, &account, at).await?;
                    expect_code(&reply)
                }
            })
            .await
        };
        eprintln!(
            "  pairing density {target}: filled in {:.1} s ({} errors), creation p99 {:.2} ms",
            fill_took.as_secs_f64(),
            fill.errors,
            creation.quantile_ms(0.99)
        );
        steps.push(DensityStep {
            live: holders.len(),
            fill: fill_took,
            creation,
        });
    }
    let first = *exhausted.lock().unwrap_or_else(PoisonError::into_inner);
    Ok((steps, first))
}

/// `count` fresh wallet accounts (sandbox fixtures, 32 at a time).
pub async fn make_accounts(shared: &Shared, count: usize) -> anyhow::Result<Vec<String>> {
    let made = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let (api, people, sink) = (shared.api.clone(), shared.people.clone(), made.clone());
    let run = drive(FILL_CONCURRENCY, Stop::Count(count), move |_| {
        let (api, people, sink) = (api.clone(), people.clone(), sink.clone());
        async move {
            let account = api.fixture(&people.next().fixture_body()).await?;
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(account);
            Ok(())
        }
    })
    .await;
    anyhow::ensure!(run.errors == 0, "wallet fixtures: {:?}", run.first_error);
    let accounts = std::mem::take(&mut *made.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(accounts)
}

async fn issue(api: &Api, account: &str, at: (f64, f64)) -> anyhow::Result<(u16, Value)> {
    let body = json!({ "payment_account_id": account, "location": place(at), "operation": "pay" });
    api.pairing("/v1/pairing-codes", &body).await
}

fn expect_code(reply: &(u16, Value)) -> anyhow::Result<()> {
    anyhow::ensure!(reply.0 == 201, "issue: HTTP {}: {}", reply.0, reply.1);
    Ok(())
}
