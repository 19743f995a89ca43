//! The Redis the bench runs against: by default a private `redis-server` on a free port,
//! so that command counts and timings see nobody else.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use redis::aio::MultiplexedConnection;

use crate::procs::{free_port, Managed};

/// A Redis server and a connection to it.
pub struct RedisTarget {
    /// `redis://…` URL handed to the orchestrator.
    pub url: String,
    /// Host and port, for `redis-cli` and `redis-benchmark`.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The private server, if this run started one.
    pub server: Option<Managed>,
    con: MultiplexedConnection,
}

impl RedisTarget {
    /// Starts a private `redis-server` (no persistence) on a free port.
    pub async fn private(binary: &Path, log: &Path) -> anyhow::Result<RedisTarget> {
        let port = free_port()?;
        let mut command = Command::new(binary);
        command
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"]);
        let server = Managed::spawn("redis-server", command, log)?;
        let url = format!("redis://127.0.0.1:{port}");
        let con = connect_retrying(&url, Duration::from_secs(10)).await?;
        Ok(RedisTarget {
            url,
            host: "127.0.0.1".to_owned(),
            port,
            server: Some(server),
            con,
        })
    }

    /// Uses an existing server.
    pub async fn shared(url: &str) -> anyhow::Result<RedisTarget> {
        let info = redis::Client::open(url)?.get_connection_info().clone();
        let (host, port) = match info.addr {
            redis::ConnectionAddr::Tcp(host, port) => (host, port),
            other => anyhow::bail!("only plain TCP Redis URLs are supported, not {other}"),
        };
        let con = connect_retrying(url, Duration::from_secs(5)).await?;
        Ok(RedisTarget {
            url: url.to_owned(),
            host,
            port,
            server: None,
            con,
        })
    }

    /// The text of `INFO <section>`.
    pub async fn info(&self, section: &str) -> anyhow::Result<String> {
        let text: String = redis::cmd("INFO")
            .arg(section)
            .query_async(&mut self.con.clone())
            .await?;
        Ok(text)
    }

    /// One numeric field of `INFO <section>`.
    pub async fn info_u64(&self, section: &str, field: &str) -> anyhow::Result<u64> {
        let text = self.info(section).await?;
        info_field(&text, field)
            .with_context(|| format!("INFO {section} has no {field}"))?
            .parse()
            .with_context(|| format!("INFO field {field} is not a number"))
    }

    /// A clone of the connection, for ad-hoc commands.
    pub fn con(&self) -> MultiplexedConnection {
        self.con.clone()
    }

    /// Deletes every key starting with `prefix` (SCAN + UNLINK); returns how many.
    pub async fn delete_prefix(&self, prefix: &str) -> anyhow::Result<u64> {
        let mut con = self.con.clone();
        let pattern = format!("{prefix}*");
        let mut cursor = 0_u64;
        let mut deleted = 0_u64;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut con)
                .await?;
            if !keys.is_empty() {
                let n: u64 = redis::cmd("UNLINK")
                    .arg(&keys)
                    .query_async(&mut con)
                    .await?;
                deleted += n;
            }
            if next == 0 {
                return Ok(deleted);
            }
            cursor = next;
        }
    }

    /// Stops the private server, if any.
    pub fn stop(&mut self) {
        if let Some(server) = self.server.as_mut() {
            server.stop();
        }
    }
}

/// The value of `field` in an INFO reply.
pub fn info_field<'a>(text: &'a str, field: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        line.strip_prefix(field)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    })
}

async fn connect_retrying(url: &str, patience: Duration) -> anyhow::Result<MultiplexedConnection> {
    let client = redis::Client::open(url)?;
    let deadline = Instant::now() + patience;
    loop {
        match client.get_multiplexed_async_connection().await {
            Ok(mut con) => {
                let pong: redis::RedisResult<String> =
                    redis::cmd("PING").query_async(&mut con).await;
                if pong.is_ok() {
                    return Ok(con);
                }
            }
            Err(e) if Instant::now() >= deadline => {
                return Err(e).with_context(|| format!("Redis at {url} does not answer"));
            }
            Err(_) => {}
        }
        if Instant::now() >= deadline {
            anyhow::bail!("Redis at {url} does not answer PING");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
