//! The ceiling Redis itself sets: `redis-benchmark` of one EVALSHA of a script shaped
//! like a saga transition, with arguments as large as a real saga's.

use std::process::Command;

use anyhow::Context as _;

use crate::redis_target::RedisTarget;

const SCRIPT: &str = include_str!("transition.lua");

/// Sizes of a stored saga's parts, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct SagaSizes {
    /// Meta JSON.
    pub meta: usize,
    /// Sealed state.
    pub state: usize,
    /// One journal entry.
    pub journal_entry: usize,
}

/// The outcome of the redis-benchmark run.
pub struct Ceiling {
    /// Requests of the run.
    pub requests: u64,
    /// EVALSHA calls per second.
    pub rps: f64,
    /// Median latency reported by redis-benchmark, in ms.
    pub p50_ms: Option<f64>,
    /// The argument sizes used.
    pub sizes: SagaSizes,
}

/// Sizes of one saga the run stored under `key_prefix` (typical values if none found).
pub async fn sample_sizes(redis: &RedisTarget, key_prefix: &str) -> SagaSizes {
    let fallback = SagaSizes {
        meta: 400,
        state: 300,
        journal_entry: 200,
    };
    sample(redis, key_prefix).await.unwrap_or(fallback)
}

async fn sample(redis: &RedisTarget, key_prefix: &str) -> Option<SagaSizes> {
    let mut con = redis.con();
    let mut cursor = 0_u64;
    for _ in 0..1000 {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{key_prefix}:*:saga:*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut con)
            .await
            .ok()?;
        if let Some(key) = keys.first() {
            let meta: usize = redis::cmd("HSTRLEN")
                .arg(key)
                .arg("m")
                .query_async(&mut con)
                .await
                .ok()?;
            let state: usize = redis::cmd("HSTRLEN")
                .arg(key)
                .arg("s")
                .query_async(&mut con)
                .await
                .ok()?;
            let journal = key.replacen(":saga:", ":journal:", 1);
            let entry: Vec<u8> = redis::cmd("LINDEX")
                .arg(journal)
                .arg(-1)
                .query_async(&mut con)
                .await
                .ok()?;
            return Some(SagaSizes {
                meta,
                state,
                journal_entry: entry.len(),
            });
        }
        if next == 0 {
            return None;
        }
        cursor = next;
    }
    None
}

/// Runs `redis-benchmark -n requests -c 64 -P 1` of the transition script under
/// `key_prefix`, then deletes its keys.
pub async fn measure(
    redis: &RedisTarget,
    key_prefix: &str,
    requests: u64,
    sizes: SagaSizes,
) -> anyhow::Result<Ceiling> {
    let sha: String = redis::cmd("SCRIPT")
        .arg("LOAD")
        .arg(SCRIPT)
        .query_async(&mut redis.con())
        .await?;
    let tag = format!("{key_prefix}:{{p00}}");
    let output = Command::new("redis-benchmark")
        .args(["-h", &redis.host, "-p", &redis.port.to_string()])
        .args([
            "-n",
            &requests.to_string(),
            "-c",
            "64",
            "-P",
            "1",
            "-r",
            "100000",
            "-q",
        ])
        .args(["EVALSHA", &sha, "4"])
        .arg(format!("{tag}:saga:__rand_int__"))
        .arg(format!("{tag}:journal:__rand_int__"))
        .arg(format!("{tag}:timers"))
        .arg(format!("{tag}:active"))
        .args(["wf__rand_int__", "*"])
        .arg("m".repeat(sizes.meta.max(1)))
        .arg("s".repeat(sizes.state.max(1)))
        .arg("j".repeat(sizes.journal_entry.max(1)))
        .arg("1700000000000")
        .output()
        .context("cannot run redis-benchmark")?;
    redis.delete_prefix(&format!("{key_prefix}:")).await?;
    let text = String::from_utf8_lossy(&output.stdout);
    anyhow::ensure!(output.status.success(), "redis-benchmark failed: {text}");
    let (rps, p50_ms) = parse(&text).with_context(|| format!("no rate in: {text}"))?;
    Ok(Ceiling {
        requests,
        rps,
        p50_ms,
        sizes,
    })
}

/// The rate and median of redis-benchmark's quiet output (its last summary line).
fn parse(text: &str) -> Option<(f64, Option<f64>)> {
    let line = text
        .split(['\r', '\n'])
        .rfind(|l| l.contains("requests per second"))?;
    let before = line.split("requests per second").next()?;
    let rps = before.split_whitespace().last()?.parse().ok()?;
    let p50 = line
        .split("p50=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|v| v.parse().ok());
    Some((rps, p50))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quiet_output() {
        let text = "EVALSHA abc: rps=0.0 (overall: nan) avg_msec=nan\r\
                    EVALSHA abc 4 k: 52910.05 requests per second, p50=1.111 msec\n";
        let (rps, p50) = parse(text).unwrap();
        assert!((rps - 52910.05).abs() < 1e-6);
        assert_eq!(p50, Some(1.111));
    }
}
