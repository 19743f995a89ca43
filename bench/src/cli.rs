//! The command line of `onboard-bench`.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

/// A part of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// Scenario A: no-prompt path at each `--concurrency`.
    A,
    /// Scenario B: prompt path at each `--prompt-concurrency`.
    B,
    /// Scenario C: credit application, savings card already bound, at each
    /// `--credit-concurrency`.
    C,
    /// Redis commands per saga of each path.
    Roundtrips,
    /// RSS of `--parked` sagas waiting on prompts.
    Parked,
    /// redis-benchmark of one transition-shaped EVALSHA.
    Ceiling,
    /// Three replicas on one Redis: the no-prompt path at concurrency 64 through all
    /// three, and the failover time after one is killed with SIGKILL.
    Replicas,
    /// Pairing codes: creation and claims at `--pairing-concurrency`, creation latency by
    /// density. Not in the default set.
    Pairing,
    /// Account linking (seed 000): whole link flows and service requests at
    /// `--linking-concurrency`, and the virtual-id resolution timed in process. Not in the
    /// default set; run it with `a` at concurrency 64 for the comparison.
    Linking,
}

/// End-to-end benchmark of the Onboard orchestrator. Builds nothing: point it at a
/// release build of `onboard` (`cargo build --release -p onboard-api`).
#[derive(Debug, Clone, Parser)]
#[command(name = "onboard-bench", version)]
pub struct Args {
    /// The `onboard` binary to benchmark.
    #[arg(long, default_value = "target/release/onboard")]
    pub onboard: PathBuf,
    /// Redis to use with `--shared-redis`; otherwise a private `redis-server` is started.
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    /// Use the Redis at `--redis-url` instead of a private `redis-server` (round-trip
    /// counts then only see this run's keys, but timings share the server).
    #[arg(long)]
    pub shared_redis: bool,
    /// The `redis-server` binary for the private Redis.
    #[arg(long, default_value = "redis-server")]
    pub redis_server: PathBuf,
    /// Seconds each throughput scenario runs.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Concurrency levels of the no-prompt scenario (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,64,512")]
    pub concurrency: Vec<usize>,
    /// Concurrency levels of the prompt scenario (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    pub prompt_concurrency: Vec<usize>,
    /// Concurrency levels of the credit-application scenario (comma-separated).
    #[arg(long, value_delimiter = ',', default_value = "1,64")]
    pub credit_concurrency: Vec<usize>,
    /// Sagas left waiting on open prompts for the memory measurement (0 skips it).
    #[arg(long, default_value_t = 100_000)]
    pub parked: usize,
    /// Concurrency used to park sagas.
    #[arg(long, default_value_t = 256)]
    pub parked_concurrency: usize,
    /// Sagas per path in the Redis round-trip count (at concurrency 64).
    #[arg(long, default_value_t = 2_000)]
    pub roundtrip_sagas: usize,
    /// Requests of the `redis-benchmark` EVALSHA run (0 skips it).
    #[arg(long, default_value_t = 200_000)]
    pub physical_requests: u64,
    /// No-prompt sagas run for one wallet fixture person before a new one is made
    /// (each saga binds one more card to the person).
    #[arg(long, default_value_t = 8)]
    pub fixture_reuse: usize,
    /// Serve the sandbox parties inside the orchestrator (as `onboard serve` does by
    /// default) instead of in a separate `onboard sandbox` process. The parked-memory
    /// figure then includes the sandbox's records of every parked person.
    #[arg(long)]
    pub in_process_sandbox: bool,
    /// Concurrency of the pairing parts.
    #[arg(long, default_value_t = 64)]
    pub pairing_concurrency: usize,
    /// Wallet accounts issuing codes in the pairing throughput parts (also the claims).
    #[arg(long, default_value_t = 20_000)]
    pub pairing_accounts: usize,
    /// Live codes within one 1 km radius at which creation latency is sampled.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    pub pairing_densities: Vec<usize>,
    /// Creations sampled, one at a time, at each density.
    #[arg(long, default_value_t = 1_000)]
    pub pairing_samples: usize,
    /// Concurrency of the account-linking parts: link flows and service requests.
    #[arg(long, default_value_t = 64)]
    pub linking_concurrency: usize,
    /// Virtual-id resolutions timed one at a time, in process, in the linking part.
    #[arg(long, default_value_t = 2_000)]
    pub linking_resolutions: usize,
    /// Which parts to run (comma-separated): a (no-prompt), b (prompt), c (credit
    /// application), roundtrips, parked, ceiling, replicas, pairing, linking.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "a,b,c,roundtrips,parked,replicas,ceiling"
    )]
    pub scenarios: Vec<Part>,
    /// Tiny numbers for a smoke run: 2 s per scenario, 2,000 parked sagas.
    #[arg(long)]
    pub quick: bool,
    /// Also write the Markdown report to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

impl Args {
    /// Whether `part` is to run.
    pub fn runs(&self, part: Part) -> bool {
        self.scenarios.contains(&part)
    }

    /// The arguments with `--quick` applied.
    pub fn effective(mut self) -> Args {
        if self.quick {
            self.duration_secs = self.duration_secs.min(2);
            self.parked = self.parked.min(2_000);
            self.roundtrip_sagas = self.roundtrip_sagas.min(200);
            self.physical_requests = self.physical_requests.min(20_000);
            self.pairing_accounts = self.pairing_accounts.min(2_000);
            self.pairing_densities = vec![100, 1_000];
            self.pairing_samples = self.pairing_samples.min(200);
            self.linking_resolutions = self.linking_resolutions.min(200);
        }
        self
    }
}
