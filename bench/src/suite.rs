//! The sequence of measurements of one bench run.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::api::Api;
use crate::cli::{Args, Part};
use crate::cpu::Processes;
use crate::credit::CreditPool;
use crate::flows::{SagaPath, Shared};
use crate::identity::People;
use crate::linking::{self, LinkingParams, StoreAt};
use crate::load::{self, Job, Stop};
use crate::pairing::{self, PairingParams};
use crate::procs::{busy_ticks, clock_ticks_per_sec};
use crate::redis_target::RedisTarget;
use crate::report::Report;
use crate::run_result::RunResult;
use crate::services::{ServiceConfig, Services};
use crate::{parked, physical, replicas, roundtrips};

/// Runs every selected part against a fresh orchestrator and returns the report.
pub async fn run(
    args: &Args,
    redis: &RedisTarget,
    key_prefix: &str,
    nonce: u64,
    dir: &Path,
) -> anyhow::Result<Report> {
    let config = ServiceConfig {
        onboard: &args.onboard,
        redis_url: &redis.url,
        key_prefix,
        dir,
        in_process_sandbox: args.in_process_sandbox,
    };
    let mut services = Services::start(&config).await?;
    let mut pids = vec![("orch", services.orchestrator.pid())];
    if let Some(sandbox) = &services.sandbox {
        pids.push(("sandbox", sandbox.pid()));
    }
    if let Some(server) = &redis.server {
        pids.push(("redis", server.pid()));
    }
    eprintln!(
        "onboard-bench: pids {pids:?}, orchestrator at {}",
        services.base_url
    );
    let processes = Processes::new(pids);
    let shared = Shared {
        api: Api::new(&services.base_url, &services.sandbox_url)?,
        people: Arc::new(People::new(nonce)),
        fixture_reuse: args.fixture_reuse,
        credit: Arc::new(CreditPool::default()),
    };
    let idle_busy = machine_busy(Duration::from_secs(1)).await;
    if idle_busy > 20.0 {
        eprintln!("onboard-bench: warning: the machine is {idle_busy:.0}% busy before the run (of all cores); results will be low");
    }
    let mut settings = settings(args);
    settings.push(format!(
        "machine busy before the run (other users): {idle_busy:.0}% of all cores; the `other` CPU column shows it during each run"
    ));
    let mut report = Report {
        command: std::env::args().collect::<Vec<_>>().join(" "),
        settings,
        roles: processes.roles(),
        runs: Vec::new(),
        round_trips: Vec::new(),
        parked: None,
        replicas: None,
        ceiling: None,
        pairing: None,
        linking: None,
    };
    let warm = load::run(
        &shared,
        &processes,
        Job::Saga(SagaPath::NoPrompt),
        16,
        Stop::After(Duration::from_secs(1)),
    )
    .await;
    if warm.ok == 0 {
        anyhow::bail!(
            "warm-up completed no saga: {}",
            warm.first_error.unwrap_or_default()
        );
    }
    let duration = Duration::from_secs(args.duration_secs);
    let mut levels = Vec::new();
    if args.runs(Part::A) {
        levels.extend(args.concurrency.iter().map(|c| (SagaPath::NoPrompt, *c)));
    }
    if args.runs(Part::B) {
        levels.extend(
            args.prompt_concurrency
                .iter()
                .map(|c| (SagaPath::Prompt, *c)),
        );
    }
    if args.runs(Part::C) {
        levels.extend(
            args.credit_concurrency
                .iter()
                .map(|c| (SagaPath::Credit, *c)),
        );
    }
    for (path, concurrency) in levels {
        let run = if path == SagaPath::Credit {
            credit_run(&shared, &processes, concurrency, duration).await?
        } else {
            load::run(
                &shared,
                &processes,
                Job::Saga(path),
                concurrency,
                Stop::After(duration),
            )
            .await
        };
        run.log(path.label());
        services.orchestrator.ensure_running()?;
        report.runs.push((path, run));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    if args.runs(Part::Roundtrips) && args.roundtrip_sagas > 0 {
        let filter = args.shared_redis.then_some(key_prefix);
        for path in [SagaPath::NoPrompt, SagaPath::Prompt, SagaPath::Credit] {
            if path == SagaPath::Credit {
                shared
                    .credit
                    .fill(
                        &shared.api,
                        &shared.people,
                        args.roundtrip_sagas,
                        FILL_CONCURRENCY,
                    )
                    .await?;
            }
            let log = dir.join(format!("monitor-{:?}.log", path));
            let rt = roundtrips::measure(
                redis,
                filter,
                &shared,
                &processes,
                path,
                args.roundtrip_sagas,
                &log,
            )
            .await?;
            eprintln!(
                "  round trips {}: {:.2} commands/saga",
                path.label(),
                rt.per_saga
            );
            report.round_trips.push(rt);
        }
        shared.credit.clear();
    }
    if args.runs(Part::Pairing) {
        let params = PairingParams {
            concurrency: args.pairing_concurrency,
            duration,
            accounts: args.pairing_accounts,
            densities: args.pairing_densities.clone(),
            samples: args.pairing_samples,
        };
        report.pairing = Some(pairing::measure(&shared, &params).await?);
        services.orchestrator.ensure_running()?;
    }
    if args.runs(Part::Linking) {
        let params = LinkingParams {
            concurrency: args.linking_concurrency,
            duration,
            resolutions: args.linking_resolutions,
        };
        let store = StoreAt {
            redis_url: &redis.url,
            key_prefix,
        };
        report.linking = Some(linking::measure(&shared, &params, &store).await?);
        services.orchestrator.ensure_running()?;
    }
    let sizes = physical::sample_sizes(redis, key_prefix).await;
    if args.runs(Part::Parked) && args.parked > 0 {
        let pid = services.orchestrator.pid();
        let p = parked::measure(
            &shared,
            &processes,
            redis,
            pid,
            args.parked,
            args.parked_concurrency,
        )
        .await?;
        p.run.log("parking");
        eprintln!("  parked RSS {} → {} bytes", p.rss_before, p.rss_after);
        services.orchestrator.ensure_running()?;
        report.parked = Some(p);
    }
    if args.runs(Part::Replicas) {
        let measured = replicas::measure(&config, &services, redis, &shared, duration).await?;
        measured.run.log("three replicas");
        eprintln!(
            "  failover: {} sagas of the killed replica, last one done {:.2} s after the kill",
            measured.affected,
            measured.failover.as_secs_f64()
        );
        report.replicas = Some(measured);
    }
    services.stop();
    if args.runs(Part::Ceiling) && args.physical_requests > 0 {
        let prefix = format!("{key_prefix}-ceiling");
        let ceiling = physical::measure(redis, &prefix, args.physical_requests, sizes).await?;
        eprintln!("  redis ceiling: {:.0} EVALSHA/s", ceiling.rps);
        report.ceiling = Some(ceiling);
    }
    Ok(report)
}

/// Concurrent fixture calls that fill the credit-applicant pool.
const FILL_CONCURRENCY: usize = 32;
/// Applicants made beyond the calibrated need, so the pool outlasts the run.
const POOL_MARGIN: f64 = 1.5;

/// Scenario C at `concurrency` for `duration`. Each application needs a fresh wallet
/// person, made beforehand: a short calibration run (which also warms the path up) on a
/// small pool gives the rate, then a pool for `duration` at 1.5 times that rate is made
/// and the timed run stops at `duration` or when the pool runs out.
async fn credit_run(
    shared: &Shared,
    processes: &Processes,
    concurrency: usize,
    duration: Duration,
) -> anyhow::Result<RunResult> {
    let pool = &shared.credit;
    let probe = (concurrency * 16).max(300);
    pool.fill(&shared.api, &shared.people, probe, FILL_CONCURRENCY)
        .await?;
    let job = Job::Saga(SagaPath::Credit);
    let calibration = load::run(shared, processes, job, concurrency, Stop::Count(probe)).await;
    pool.clear();
    if calibration.ok == 0 {
        anyhow::bail!(
            "credit calibration completed no saga: {}",
            calibration.first_error.unwrap_or_default()
        );
    }
    let need =
        (calibration.rate() * duration.as_secs_f64() * POOL_MARGIN).ceil() as usize + concurrency;
    let took = pool
        .fill(&shared.api, &shared.people, need, FILL_CONCURRENCY)
        .await?;
    eprintln!(
        "  C fixtures c={concurrency}: calibrated {:.0}/s, made {need} applicants in {:.1} s",
        calibration.rate(),
        took.as_secs_f64()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let run = load::run(shared, processes, job, concurrency, Stop::After(duration)).await;
    if pool.len() == 0 {
        eprintln!(
            "  note: the applicant pool ran out after {:.1} s",
            run.elapsed.as_secs_f64()
        );
    }
    pool.clear();
    Ok(run)
}

/// Percent of all cores busy over `window`, measured before anything of ours is loaded.
async fn machine_busy(window: Duration) -> f64 {
    let before = busy_ticks().unwrap_or(0);
    tokio::time::sleep(window).await;
    let ticks = busy_ticks().unwrap_or(0).saturating_sub(before) as f64;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    ticks / clock_ticks_per_sec() as f64 / window.as_secs_f64() / cores * 100.0
}

fn settings(args: &Args) -> Vec<String> {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    vec![
        format!("machine: {cores} cores; orchestrator, sandbox, Redis and this client all on it"),
        format!(
            "{} s per throughput scenario; fixture person reused for {} no-prompt sagas",
            args.duration_secs, args.fixture_reuse
        ),
        format!(
            "sandbox {}; Redis {}",
            if args.in_process_sandbox {
                "in process"
            } else {
                "in a separate `onboard sandbox` process"
            },
            if args.shared_redis {
                "shared (--redis-url)"
            } else {
                "private redis-server, no persistence"
            }
        ),
        "credit applications (C): one fresh wallet person per saga (a person gets one credit account), made before each timed run; neither latency nor throughput includes them".to_owned(),
        "orchestrator: RUST_LOG=warn, rate limit lifted, prompt TTL 86400 s".to_owned(),
    ]
}
