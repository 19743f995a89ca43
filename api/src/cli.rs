//! The command line of the `onboard` binary. Each flag also reads the environment
//! variable beside it; the flag wins.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Onboard: durable onboarding and account-linking orchestrator.
#[derive(Debug, Parser)]
#[command(name = "onboard", version)]
pub struct Cli {
    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The binary's modes.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the orchestrator (API, saga runtime, and by default the sandbox parties).
    Serve(ServeArgs),
    /// Re-seal every stored sealed value under the current data key (the first one), so
    /// that older keys can be removed. Online on Redis; the embedded store needs the
    /// server stopped.
    Rekey(RekeyArgs),
    /// Run only the sandbox parties, so they outlive an orchestrator killed in a test.
    #[cfg(feature = "sandbox")]
    Sandbox(SandboxArgs),
}

/// Flags of `onboard serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ONBOARD_LISTEN")]
    pub listen: Option<String>,
    /// Directory of the embedded store and the in-process sandbox.
    #[arg(long, env = "ONBOARD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Redis URL; selects the Redis store. Several comma-separated URLs select Redis
    /// Cluster.
    #[arg(long, env = "ONBOARD_REDIS_URL")]
    pub redis_url: Option<String>,
    /// This replica's name, the owner of the saga leases it takes (default: host name
    /// and process id).
    #[arg(long, env = "ONBOARD_REPLICA_ID")]
    pub replica_id: Option<String>,
    /// Extra TOML file layered over config/default.toml.
    #[arg(long, env = "ONBOARD_CONFIG")]
    pub config: Option<PathBuf>,
    /// TOML file of `[[callers]]` tables replacing the configured callers (e.g. a mounted
    /// Kubernetes Secret).
    #[arg(long, env = "ONBOARD_CALLERS_FILE")]
    pub callers_file: Option<PathBuf>,
    /// Send party calls to this sandbox instead of the in-process one.
    #[arg(long, env = "ONBOARD_SANDBOX_URL")]
    pub sandbox_url: Option<String>,
    /// Accept a `security.hmac_key` other than the one this store was used with, and pin
    /// it from now on. Workflow ids and idempotency fingerprints of earlier requests no
    /// longer match, and usernames stored under the old key are no longer found: a
    /// deliberate, one-off step (deliberately no environment variable).
    #[arg(long)]
    pub replace_hmac_key: bool,
}

/// Flags of `onboard rekey`: the store is chosen as `onboard serve` chooses it.
#[derive(Debug, Args)]
pub struct RekeyArgs {
    /// Directory of the embedded store.
    #[arg(long, env = "ONBOARD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Redis URL; selects the Redis store. Several comma-separated URLs select Redis
    /// Cluster.
    #[arg(long, env = "ONBOARD_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Extra TOML file layered over config/default.toml (with the data keys).
    #[arg(long, env = "ONBOARD_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Flags of `onboard sandbox`.
#[cfg(feature = "sandbox")]
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, env = "ONBOARD_LISTEN", default_value = "127.0.0.1:8081")]
    pub listen: String,
    /// Directory of the sandbox's database.
    #[arg(long, env = "ONBOARD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}
