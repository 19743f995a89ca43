//! The server under test, and the Redis ceiling.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context as _;

/// `onboard serve` on Redis under a key prefix of this run, its limits lifted.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    child: Child,
    redis_url: String,
    key_prefix: String,
    data_dir: PathBuf,
}

impl Server {
    /// Starts the server and waits until it is ready.
    pub async fn start(onboard: &Path, redis_url: &str) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let nonce = SystemTime::now().duration_since(UNIX_EPOCH)?.as_micros();
        let key_prefix = format!("tickets-bench-{nonce}");
        let data_dir = std::env::temp_dir().join(&key_prefix);
        let child = Command::new(onboard)
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--redis-url", redis_url])
            .arg("--data-dir")
            .arg(&data_dir)
            .env("RUST_LOG", "warn")
            .env("ONBOARD_STORE__KEY_PREFIX", &key_prefix)
            .env("ONBOARD_RATE_LIMIT__PER_SECOND", "1000000")
            .env("ONBOARD_RATE_LIMIT__BURST", "1000000")
            .env("ONBOARD_TICKETS__ADDRESS_PER_SECOND", "1000000")
            .env("ONBOARD_TICKETS__ADDRESS_BURST", "1000000")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", onboard.display()))?;
        let server = Server {
            base_url: format!("http://127.0.0.1:{port}"),
            child,
            redis_url: redis_url.to_owned(),
            key_prefix,
            data_dir,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&self) -> anyhow::Result<()> {
        let http = reqwest::Client::builder().no_proxy().build()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            let ready = http.get(format!("{}/readyz", self.base_url)).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::bail!("the server is not ready after 30 s")
    }

    /// Stops the server and deletes the run's keys and data directory.
    pub async fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Err(error) = delete_prefix(&self.redis_url, &self.key_prefix).await {
            eprintln!("tickets-bench: could not delete the run's keys: {error:#}");
        }
    }
}

async fn delete_prefix(redis_url: &str, prefix: &str) -> anyhow::Result<()> {
    let mut con = redis::Client::open(redis_url)?
        .get_multiplexed_async_connection()
        .await?;
    let mut cursor = 0_u64;
    loop {
        let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut con)
            .await?;
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(keys)
                .query_async::<()>(&mut con)
                .await?;
        }
        if next == 0 {
            return Ok(());
        }
        cursor = next;
    }
}

/// `redis-benchmark -t get -c 64 -P 1 -n requests` against the Redis of `redis_url`: GETs
/// per second.
pub fn redis_benchmark_get(redis_url: &str, requests: u64) -> anyhow::Result<f64> {
    let url = reqwest::Url::parse(redis_url)?;
    let host = url.host_str().unwrap_or("127.0.0.1").to_owned();
    let port = url.port().unwrap_or(6379);
    let output = Command::new("redis-benchmark")
        .args(["-h", &host, "-p", &port.to_string()])
        .args(["-t", "get", "-c", "64", "-P", "1", "-q"])
        .args(["-n", &requests.to_string()])
        .output()
        .context("cannot run redis-benchmark")?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .split(['\r', '\n'])
        .rfind(|line| line.contains("requests per second"))
        .with_context(|| format!("no rate in: {text}"))?;
    let before = line.split("requests per second").next().unwrap_or_default();
    before
        .split_whitespace()
        .last()
        .and_then(|rate| rate.parse().ok())
        .with_context(|| format!("no rate in: {line}"))
}
