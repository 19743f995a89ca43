//! `onboard-tickets-bench`: the tickets (seed 003) measured end to end.
//!
//! Starts `onboard serve` on a Redis (shared, under a key prefix of its own; limits
//! lifted), makes accounts and tickets, then measures over HTTP: ticket verify at a
//! concurrency, the same while logins (argon2id) run alongside at a steady rate, and
//! refreshes (each worker rotating its own ticket). `redis-benchmark` GET runs against the
//! same Redis in the same run, as the ceiling one store round trip sets. Prints Markdown.

mod load;
mod server;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use crate::load::{Client, Outcome};
use crate::server::Server;

/// Measures ticket verify, verify beside logins, and refresh.
#[derive(Debug, Clone, Parser)]
#[command(name = "onboard-tickets-bench", version)]
struct Args {
    /// The `onboard` binary (build it with `cargo build --release -p onboard-api`).
    #[arg(long, default_value = "target/release/onboard")]
    onboard: PathBuf,
    /// The Redis the server and `redis-benchmark` use.
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis_url: String,
    /// Seconds each measurement runs.
    #[arg(long, default_value_t = 10)]
    duration_secs: u64,
    /// Concurrent requests of the verify and refresh runs.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Logins per second beside the second verify run.
    #[arg(long, default_value_t = 20)]
    logins_per_second: u64,
    /// Requests of the `redis-benchmark` GET run (0 skips it).
    #[arg(long, default_value_t = 500_000)]
    redis_requests: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mut server = Server::start(&args.onboard, &args.redis_url).await?;
    let outcome = run(&args, &server).await;
    server.stop().await;
    let report = outcome?;
    println!("{report}");
    Ok(())
}

async fn run(args: &Args, server: &Server) -> anyhow::Result<String> {
    let duration = Duration::from_secs(args.duration_secs);
    let client = Arc::new(Client::new(&server.base_url)?);
    let users = client.accounts(args.concurrency.max(64)).await?;
    eprintln!("tickets-bench: {} accounts with tickets", users.len());
    load::verify(&client, &users, 16, Duration::from_secs(2)).await;

    let verify = load::verify(&client, &users, args.concurrency, duration).await;
    eprintln!("verify: {}", verify.line());
    let get = if args.redis_requests > 0 {
        Some(server::redis_benchmark_get(
            &args.redis_url,
            args.redis_requests,
        )?)
    } else {
        None
    };
    let (beside, logins) = tokio::join!(
        load::verify(&client, &users, args.concurrency, duration),
        load::logins(&client, &users, args.logins_per_second, duration)
    );
    eprintln!(
        "verify beside logins: {} / logins: {}",
        beside.line(),
        logins.line()
    );
    let refresh = load::refresh(&client, &users, args.concurrency, duration).await;
    eprintln!("refresh: {}", refresh.line());
    Ok(report(args, &verify, get, &beside, &logins, &refresh))
}

fn report(
    args: &Args,
    verify: &Outcome,
    get: Option<f64>,
    beside: &Outcome,
    logins: &Outcome,
    refresh: &Outcome,
) -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let row = |name: &str, outcome: &Outcome| {
        let concurrency = match outcome.concurrency {
            0 => "open loop".to_owned(),
            n => n.to_string(),
        };
        format!(
            "| {name} | {concurrency} | {:.0} | {:.2} | {:.2} | {:.2} | {} |",
            outcome.rate(),
            outcome.quantile_ms(0.5),
            outcome.quantile_ms(0.99),
            outcome.quantile_ms(0.999),
            outcome.errors
        )
    };
    let mut lines = vec![
        format!(
            "Machine: {cores} cores shared by `onboard serve`, Redis, `redis-benchmark` and this \
             load generator; {} s per run.",
            args.duration_secs
        ),
        String::new(),
        "| run | concurrency | per second | p50 ms | p99 ms | p99.9 ms | errors |".to_owned(),
        "|---|---|---|---|---|---|---|".to_owned(),
        row("verify", verify),
        row(
            &format!("verify beside {} logins/s", args.logins_per_second),
            beside,
        ),
        row("logins (alongside)", logins),
        row("refresh (rotation)", refresh),
    ];
    if let Some(rps) = get {
        lines.push(String::new());
        lines.push(format!(
            "`redis-benchmark -t get -c 64 -P 1` on the same Redis, in the same run: {rps:.0} GET/s."
        ));
    }
    lines.join("\n")
}
