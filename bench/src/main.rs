//! `onboard-bench`: end-to-end benchmark of the Onboard orchestrator.
//!
//! Starts a private Redis, the sandbox parties and `onboard serve` on free ports, drives
//! registration sagas over HTTP like a bank and a wallet would (and, on request, pairing
//! codes and account linking), and prints a Markdown
//! report: throughput and latency per path and concurrency, Redis commands per saga,
//! the memory of sagas parked on open prompts, and the ceiling `redis-benchmark` finds
//! for one transition-shaped EVALSHA. Everything it started is stopped and every key it
//! wrote is deleted at the end.

mod api;
mod cli;
mod cpu;
mod credit;
mod flows;
mod identity;
mod linking;
mod load;
mod pairing;
mod parked;
mod physical;
mod procs;
mod redis_target;
mod replicas;
mod report;
mod roundtrips;
mod run_result;
mod services;
mod suite;
mod targets;

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser as _;

use crate::cli::Args;
use crate::redis_target::RedisTarget;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse().effective();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onboard-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(mut args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.onboard.is_file(),
        "{} not found: build it with `cargo build --release -p onboard-api` or pass --onboard",
        args.onboard.display()
    );
    // The services run in a scratch directory, so the binary's path must not be relative.
    args.onboard = std::fs::canonicalize(&args.onboard)?;
    let dir = tempfile::Builder::new()
        .prefix("onboard-bench-")
        .tempdir()?;
    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let key_prefix = format!("onboard-bench-{}-{}", std::process::id(), nonce % 1_000_000);
    let mut redis = if args.shared_redis {
        RedisTarget::shared(&args.redis_url).await?
    } else {
        RedisTarget::private(&args.redis_server, &dir.path().join("redis.log")).await?
    };
    eprintln!(
        "onboard-bench: redis {} ({}), key prefix {key_prefix}, logs in {}",
        redis.url,
        if args.shared_redis {
            "shared"
        } else {
            "private"
        },
        dir.path().display()
    );
    let outcome = suite::run(&args, &redis, &key_prefix, nonce, dir.path()).await;
    match redis.delete_prefix(&format!("{key_prefix}:")).await {
        Ok(n) => eprintln!("onboard-bench: deleted {n} Redis keys"),
        Err(e) => eprintln!("onboard-bench: could not delete the run's keys: {e:#}"),
    }
    redis.stop();
    let report = match outcome {
        Ok(report) => report,
        Err(e) => {
            let kept = dir.keep();
            eprintln!("onboard-bench: logs kept in {}", kept.display());
            return Err(e);
        }
    };
    let markdown = report.markdown();
    println!("{markdown}");
    if let Some(path) = &args.out {
        std::fs::write(path, &markdown)?;
        eprintln!("onboard-bench: report written to {}", path.display());
    }
    Ok(())
}
