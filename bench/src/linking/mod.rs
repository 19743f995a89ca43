//! The account-linking part (seed 000, issue 10's benchmark): whole link flows per second
//! (the merchant creates a link, the wallet exchanges its token and a wallet account for a
//! virtual id, the merchant completes the link), service requests per second with the
//! virtual ids so minted (a small charge, POST to `completed`, as scenario A times a saga),
//! and the resolution of a virtual id timed in process over the run's Redis.
//!
//! Each link flow needs a wallet account of its own (one account at one merchant keeps one
//! virtual id): sandbox fixtures made before each timed run, so neither the flows' latency
//! nor their rate includes them. As for scenario C, a calibration run on a small pool (also
//! the warm-up) gives the rate, then 1.5 × rate × duration accounts are made, and the timed
//! run stops at the duration or when they run out.

mod calls;
mod resolution;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use self::resolution::StoreAt;
use crate::credit::Exhausted;
use crate::flows::Shared;
use crate::load::Stop;
use crate::pairing::{drive, make_accounts};
use crate::run_result::RunResult;

/// Accounts made beyond the calibrated need, so the pool outlasts the timed run.
const POOL_MARGIN: f64 = 1.5;

/// What the account-linking part asks for.
pub struct LinkingParams {
    /// Workers of the link flows and of the service requests.
    pub concurrency: usize,
    /// How long each of the two timed runs lasts.
    pub duration: Duration,
    /// Resolutions timed one at a time.
    pub resolutions: usize,
}

/// A virtual id the merchant holds, and the wallet account it was minted for (which the
/// resolution must answer).
pub struct Linked {
    /// The virtual account id.
    pub virtual_id: String,
    /// The wallet's payment account behind it.
    pub account: String,
}

/// Everything the account-linking part measured.
pub struct LinkingReport {
    /// Whole link flows (create, exchange, complete) in the timed run.
    pub link_flows: RunResult,
    /// Whether the timed link run used up its accounts before the duration.
    pub pool_ran_out: bool,
    /// Service requests, POST to `completed`.
    pub service_requests: RunResult,
    /// Virtual ids the service requests and the resolutions were spread over.
    pub virtual_ids: usize,
    /// In-process resolutions, one at a time.
    pub resolution: RunResult,
}

/// Runs the account-linking part against the orchestrator whose store is at `store`.
pub async fn measure(
    shared: &Shared,
    params: &LinkingParams,
    store: &StoreAt<'_>,
) -> anyhow::Result<LinkingReport> {
    let c = params.concurrency;
    let minted = Arc::new(Mutex::new(Vec::new()));
    let probe = (c * 16).max(300);
    let calibration =
        link_run(shared, c, probe, Stop::Count(probe), "calibration", &minted).await?;
    anyhow::ensure!(
        calibration.ok > 0,
        "link calibration completed no flow: {}",
        calibration.first_error.unwrap_or_default()
    );
    let need =
        (calibration.rate() * params.duration.as_secs_f64() * POOL_MARGIN).ceil() as usize + c;
    eprintln!(
        "  linking calibration c={c}: {:.0} flows/s; making {need} wallet accounts",
        calibration.rate()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let link_flows = link_run(
        shared,
        c,
        need,
        Stop::After(params.duration),
        "run",
        &minted,
    )
    .await?;
    let pool_ran_out = link_flows.ok + link_flows.errors >= need as u64;
    link_flows.log("link flows");
    if pool_ran_out {
        eprintln!(
            "  note: the wallet accounts ran out after {:.1} s",
            link_flows.elapsed.as_secs_f64()
        );
    }
    let linked = Arc::new(std::mem::take(
        &mut *minted.lock().unwrap_or_else(PoisonError::into_inner),
    ));
    anyhow::ensure!(
        !linked.is_empty(),
        "no link flow completed: {}",
        link_flows.first_error.clone().unwrap_or_default()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let service_requests = {
        let (api, linked) = (shared.api.clone(), linked.clone());
        let n = linked.len();
        drive(c, Stop::After(params.duration), move |i| {
            let (api, linked) = (api.clone(), linked.clone());
            async move {
                let amount = format!("{}.{:02}", 1 + i % 100, i % 97);
                calls::charge(&api, &linked[i % n].virtual_id, &amount).await
            }
        })
        .await
    };
    service_requests.log("service requests");
    // Let the last requests' follow-up work settle, so that the resolutions run alone.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let resolution = resolution::measure(store, &linked, params.resolutions).await?;
    eprintln!(
        "  virtual-id resolution: p50 {} µs, p99 {} µs, max {} µs",
        resolution.latency_us.value_at_quantile(0.5),
        resolution.latency_us.value_at_quantile(0.99),
        resolution.latency_us.max()
    );
    Ok(LinkingReport {
        link_flows,
        pool_ran_out,
        service_requests,
        virtual_ids: linked.len(),
        resolution,
    })
}

/// Makes `accounts` wallet accounts, then runs link flows with them on `concurrency`
/// workers until `stop` or until they run out, adding each virtual id minted to `minted`.
async fn link_run(
    shared: &Shared,
    concurrency: usize,
    accounts: usize,
    stop: Stop,
    phase: &'static str,
    minted: &Arc<Mutex<Vec<Linked>>>,
) -> anyhow::Result<RunResult> {
    let accounts = Arc::new(make_accounts(shared, accounts).await?);
    let (api, sink) = (shared.api.clone(), minted.clone());
    let timed = drive(concurrency, stop, move |i| {
        let (api, sink, account) = (api.clone(), sink.clone(), accounts.get(i).cloned());
        async move {
            let account = account.ok_or(Exhausted)?;
            let user_ref = format!("bench-{phase}-{i}");
            let virtual_id = calls::link(&api, &account, &user_ref).await?;
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Linked {
                    virtual_id,
                    account,
                });
            Ok(())
        }
    })
    .await;
    Ok(timed)
}
