//! Redis commands per saga, counted with `MONITOR`: every command a client sends is one
//! line (an EVALSHA is one, however many calls its script makes; those lines come from
//! `lua` and are skipped). The orchestrator's background polling is measured while idle
//! and subtracted.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::cpu::Processes;
use crate::flows::{SagaPath, Shared};
use crate::load::{self, Job, Stop};
use crate::procs::Managed;
use crate::redis_target::RedisTarget;

/// How long the idle baseline is watched.
const IDLE: Duration = Duration::from_secs(2);
/// Commands that follow a run's last completion (late index updates) are still counted.
const TAIL: Duration = Duration::from_millis(200);

/// Commands per saga of one path.
pub struct RoundTrips {
    /// The path.
    pub path: SagaPath,
    /// Sagas completed in the counted run.
    pub sagas: u64,
    /// Client commands per saga, background subtracted.
    pub per_saga: f64,
    /// Per command name, per saga, background subtracted, largest first.
    pub by_command: Vec<(String, f64)>,
    /// Background commands per second while idle.
    pub idle_per_sec: f64,
}

/// Counts the commands of `sagas` sagas of `path` at concurrency 64.
pub async fn measure(
    redis: &RedisTarget,
    key_prefix: Option<&str>,
    shared: &Shared,
    processes: &Processes,
    path: SagaPath,
    sagas: usize,
    log: &Path,
) -> anyhow::Result<RoundTrips> {
    let mut command = Command::new("redis-cli");
    command
        .args(["-h", &redis.host, "-p", &redis.port.to_string()])
        .arg("monitor");
    let mut monitor = Managed::spawn("redis-cli monitor", command, log)?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    monitor.ensure_running()?;
    let idle_from = now();
    tokio::time::sleep(IDLE).await;
    let run_from = now();
    let run = load::run(shared, processes, Job::Saga(path), 64, Stop::Count(sagas)).await;
    tokio::time::sleep(TAIL).await;
    let run_to = now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    monitor.stop();
    if let Some(error) = &run.first_error {
        eprintln!("  round-trip run: {} errors, first: {error}", run.errors);
    }
    let text = std::fs::read_to_string(log)?;
    let idle = count(&text, key_prefix, idle_from, run_from);
    let busy = count(&text, key_prefix, run_from, run_to);
    let idle_secs = run_from - idle_from;
    let busy_secs = run_to - run_from;
    let sagas_done = run.ok.max(1) as f64;
    let mut by_command: Vec<(String, f64)> = busy
        .iter()
        .map(|(name, n)| {
            let background = idle.get(name).copied().unwrap_or(0) as f64 / idle_secs * busy_secs;
            (
                name.clone(),
                ((*n as f64 - background) / sagas_done).max(0.0),
            )
        })
        .filter(|(_, per)| *per >= 0.005)
        .collect();
    by_command.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(RoundTrips {
        path,
        sagas: run.ok,
        per_saga: by_command.iter().map(|(_, n)| n).sum(),
        by_command,
        idle_per_sec: idle.values().sum::<u64>() as f64 / idle_secs,
    })
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Client commands by name in MONITOR output between `from` and `to` (Unix seconds),
/// keeping only lines that name `key_prefix` when one is given.
fn count(text: &str, key_prefix: Option<&str>, from: f64, to: f64) -> BTreeMap<String, u64> {
    let needle = key_prefix.map(|p| format!("\"{p}:"));
    let mut counts = BTreeMap::new();
    for line in text.lines() {
        let Some((stamp, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(stamp) = stamp.parse::<f64>() else {
            continue;
        };
        if stamp < from || stamp >= to {
            continue;
        }
        let Some((source, command)) = rest.split_once("] ") else {
            continue;
        };
        if source.ends_with(" lua") {
            continue;
        }
        if needle
            .as_ref()
            .is_some_and(|n| !command.contains(n.as_str()))
        {
            continue;
        }
        let name = command
            .split('"')
            .nth(1)
            .unwrap_or("?")
            .to_ascii_uppercase();
        *counts.entry(name).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_client_commands_only() {
        let text = "1.5 [0 127.0.0.1:5] \"EVALSHA\" \"ab\" \"1\" \"p:x\"\n\
                    1.6 [0 lua] \"HGET\" \"p:x\" \"v\"\n\
                    1.7 [0 127.0.0.1:5] \"hmget\" \"p:x\" \"v\"\n\
                    9.0 [0 127.0.0.1:5] \"HMGET\" \"p:x\"\n";
        let counts = count(text, Some("p"), 1.0, 2.0);
        assert_eq!(counts.get("EVALSHA"), Some(&1));
        assert_eq!(counts.get("HMGET"), Some(&1));
        assert_eq!(counts.get("HGET"), None);
    }
}
