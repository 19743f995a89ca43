//! A Redis server of a test's own, which the test may stop and start again on the same
//! port to simulate an outage; the shared Redis must never be stopped. It runs as a
//! child process (not daemonized), keeps nothing on disk, and is stopped by its pid.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::process::free_port;

/// How long a started server may take to answer PING.
const START_TIMEOUT: Duration = Duration::from_secs(15);

/// A private `redis-server` on a loopback port, killed on drop.
#[derive(Debug)]
pub struct PrivateRedis {
    port: u16,
    password: Option<String>,
    extra_args: Vec<String>,
    child: Option<Child>,
}

impl PrivateRedis {
    /// A server on a free loopback port, requiring `password` if given; not started yet,
    /// so that a test can start its orchestrator while Redis is down.
    pub fn new(password: Option<&str>) -> PrivateRedis {
        PrivateRedis {
            port: free_port(),
            password: password.map(str::to_owned),
            extra_args: Vec::new(),
            child: None,
        }
    }

    /// A server on a free loopback port that keeps its data in `dir` as production
    /// does (`appendonly yes`, `appendfsync everysec`), started and answering.
    pub fn durable(dir: &std::path::Path) -> PrivateRedis {
        let mut redis = PrivateRedis::new(None);
        redis.extra_args = ["--appendonly", "yes", "--appendfsync", "everysec", "--dir"]
            .map(str::to_owned)
            .into_iter()
            .chain([dir.display().to_string()])
            .collect();
        redis.start();
        redis
    }

    /// A server on loopback `port` that will start with `extra_args` (e.g. cluster
    /// mode); not started yet.
    pub fn unstarted_on(port: u16, extra_args: Vec<String>) -> PrivateRedis {
        PrivateRedis {
            port,
            password: None,
            extra_args,
            child: None,
        }
    }

    /// A server on a free loopback port, started and answering.
    pub fn started() -> PrivateRedis {
        let mut redis = PrivateRedis::new(None);
        redis.start();
        redis
    }

    /// Starts the server on its port (again, after [`Self::stop`]) and waits until it
    /// answers PING.
    pub fn start(&mut self) {
        assert!(self.child.is_none(), "private Redis already running");
        let mut command = Command::new("redis-server");
        command
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(password) = &self.password {
            command.args(["--requirepass", password]);
        }
        command.args(&self.extra_args);
        self.child = Some(
            command
                .spawn()
                .expect("spawn redis-server (is it installed?)"),
        );
        self.wait_answering();
    }

    /// Kills the server by its pid and reaps it; its data is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The loopback port, kept across restarts.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `redis://[:password@]127.0.0.1:<port>/0`.
    pub fn url(&self) -> String {
        match &self.password {
            Some(password) => format!("redis://:{password}@127.0.0.1:{}/0", self.port),
            None => format!("redis://127.0.0.1:{}/0", self.port),
        }
    }

    /// Makes every client that writes (a script counts) wait for `millis` before its
    /// command runs, as a command held up in the network would: it reaches Redis late.
    pub fn pause_writes(&self, millis: u64) {
        let mut connection = self.connection().expect("connect to the private Redis");
        redis::cmd("CLIENT")
            .arg("PAUSE")
            .arg(millis)
            .arg("WRITE")
            .query::<()>(&mut connection)
            .expect("CLIENT PAUSE");
    }

    /// Whether the server runs (it may have been stopped by [`Self::stop`]).
    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// A plain connection to this one server.
    pub fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(1))
    }

    fn wait_answering(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let answered = self
                .connection()
                .and_then(|mut connection| redis::cmd("PING").query::<String>(&mut connection));
            if answered.is_ok() {
                return;
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                self.child = None;
                panic!("redis-server on port {} exited with {status}", self.port);
            }
            assert!(
                Instant::now() < deadline,
                "redis-server on port {} not answering after {START_TIMEOUT:?}: {answered:?}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
