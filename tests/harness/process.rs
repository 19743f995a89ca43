//! Running the `onboard` binary as a child process: it binds loopback port 0 and logs the
//! port it got, which is read back from its log (no port is probed, released and reused);
//! logs in files, readiness polling, kill -9 and restarts on the same port.

use std::fs::{self, File};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::harness::binary::onboard_binary;

/// How long a started process may take to answer its readiness probe.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// A loopback port that was free a moment ago, for servers that cannot report the port
/// they bound (redis-server).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind an ephemeral loopback port")
        .port()
}

/// What to run: the arguments after the binary (without `--listen`), the
/// environment, and the path that answers 200 once the process is ready.
#[derive(Debug, Clone)]
pub struct ProcessSpec {
    /// A short name used for log files, e.g. `serve` or `sandbox`.
    pub name: String,
    /// Arguments, e.g. `["serve", "--data-dir", "…"]`; `--listen` is appended.
    pub args: Vec<String>,
    /// Environment variables set on the child (all other `ONBOARD_*` and `OTEL_*` are
    /// removed).
    pub env: Vec<(String, String)>,
    /// Readiness path: `/readyz` for `serve`, `/healthz` for `sandbox`.
    pub ready_path: String,
    /// Directory receiving one stdout and one stderr file per incarnation.
    pub logs_dir: PathBuf,
}

/// A running (or killed) `onboard` process. Killed with SIGKILL on drop.
#[derive(Debug)]
pub struct OnboardProcess {
    spec: ProcessSpec,
    port: u16,
    child: Option<Child>,
    incarnations: u32,
    http: reqwest::Client,
}

impl OnboardProcess {
    /// Starts the process on a port of its choosing and waits until it is ready.
    pub async fn start(spec: ProcessSpec) -> OnboardProcess {
        let mut process = OnboardProcess::unstarted(spec);
        if let Err(error) = process.spawn_and_wait().await {
            panic!("{}: could not start: {error}", process.spec.name);
        }
        process
    }

    /// Runs the process, expected to refuse to start, until it exits by itself: answers
    /// its exit status (`None` if it still ran after `timeout`, when it is killed) and
    /// the process, for its logs.
    pub fn run_to_exit(
        spec: ProcessSpec,
        timeout: Duration,
    ) -> (Option<ExitStatus>, OnboardProcess) {
        let mut process = OnboardProcess::unstarted(spec);
        process.spawn();
        let status = process.wait_exit(timeout);
        (status, process)
    }

    fn unstarted(spec: ProcessSpec) -> OnboardProcess {
        fs::create_dir_all(&spec.logs_dir).expect("create logs dir");
        OnboardProcess {
            spec,
            port: 0,
            child: None,
            incarnations: 0,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(2))
                .build()
                .expect("reqwest client"),
        }
    }

    /// Starts a new incarnation on the same port (after [`Self::kill9`] or
    /// [`Self::terminate`]) and waits until it is ready.
    pub async fn restart(&mut self) {
        self.kill9();
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            match self.spawn_and_wait().await {
                Ok(()) => return,
                // The old socket may linger for a moment; try again on the same port.
                Err(error) if Instant::now() < deadline => {
                    eprintln!("{}: retrying restart: {error}", self.spec.name);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(error) => panic!("{}: could not restart: {error}", self.spec.name),
            }
        }
    }

    /// Sets an environment variable of the incarnations started from now on.
    pub fn set_env(&mut self, key: &str, value: impl ToString) {
        self.spec.env.retain(|(set, _)| set != key);
        self.spec.env.push((key.to_owned(), value.to_string()));
    }

    /// Starts a new incarnation without waiting for readiness.
    pub fn spawn(&mut self) {
        assert!(self.child.is_none(), "process already running");
        let n = self.incarnations;
        self.incarnations += 1;
        let stdout = File::create(self.log_path(n)).expect("create stdout log");
        let stderr = File::create(self.err_path(n)).expect("create stderr log");
        let mut command = Command::new(onboard_binary());
        for (key, _) in std::env::vars() {
            if key.starts_with("ONBOARD_") || key.starts_with("OTEL_") {
                command.env_remove(key);
            }
        }
        command
            .args(&self.spec.args)
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .envs(self.spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr);
        self.child = Some(command.spawn().expect("spawn onboard"));
    }

    async fn spawn_and_wait(&mut self) -> Result<(), String> {
        self.spawn();
        let result = match self.port {
            0 => self.read_bound_port().await,
            _ => Ok(()),
        };
        let result = match result {
            Ok(()) => self.wait_ready().await,
            Err(error) => Err(error),
        };
        if result.is_err() {
            self.kill9();
        }
        result
    }

    /// Polls the readiness path until 200, failing if the process exits first.
    pub async fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let url = format!("{}{}", self.base_url(), self.spec.ready_path);
        loop {
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    self.child = None;
                    return Err(format!(
                        "exited with {status} before ready; log tail:\n{}",
                        self.log_tail(40)
                    ));
                }
            }
            if let Ok(response) = self.http.get(&url).send().await {
                if response.status().as_u16() == 200 {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "not ready after {READY_TIMEOUT:?}; log tail:\n{}",
                    self.log_tail(40)
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the line in which the process logs the address it bound (it was asked
    /// for port 0) and keeps its port, so that restarts reuse it.
    async fn read_bound_port(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let log = self.log_path(self.incarnations - 1);
        loop {
            let bound = read_lossy(&log)
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .find(|line| line["fields"]["message"] == "listening")
                .and_then(|line| line["fields"]["listen"].as_str().map(str::to_owned));
            if let Some(port) = bound.and_then(|addr| addr.rsplit(':').next()?.parse().ok()) {
                self.port = port;
                return Ok(());
            }
            if !self.is_running() || Instant::now() > deadline {
                return Err(format!(
                    "no \"listening\" line in the log; log tail:\n{}",
                    self.log_tail(40)
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL, then reap. Does nothing if the process is not running.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then wait up to 10 s for the exit (SIGKILL after that).
    /// Returns whether the process exited by itself.
    pub fn terminate(&mut self) -> bool {
        self.send_sigterm();
        self.wait_exit(Duration::from_secs(10)).is_some()
    }

    /// Sends SIGTERM and returns at once, so a test can watch the process drain.
    pub fn send_sigterm(&mut self) {
        if let Some(child) = &self.child {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
        }
    }

    /// Waits up to `timeout` for the process to exit and answers its exit status; SIGKILL
    /// and `None` when it did not exit in time.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let mut child = self.child.take()?;
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// Whether the current incarnation is running.
    pub fn is_running(&mut self) -> bool {
        match self.child.as_mut() {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// The port the process listens on (the one it bound first, kept across restarts).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many times the process was started.
    pub fn incarnations(&self) -> u32 {
        self.incarnations
    }

    fn log_path(&self, n: u32) -> PathBuf {
        self.spec
            .logs_dir
            .join(format!("{}-{n}.stdout.log", self.spec.name))
    }

    fn err_path(&self, n: u32) -> PathBuf {
        self.spec
            .logs_dir
            .join(format!("{}-{n}.stderr.log", self.spec.name))
    }

    /// Everything every incarnation wrote to stdout, in order.
    pub fn stdout_logs(&self) -> String {
        (0..self.incarnations)
            .map(|n| read_lossy(&self.log_path(n)))
            .collect::<Vec<_>>()
            .join("")
    }

    /// Everything every incarnation wrote to stderr, in order.
    pub fn stderr_logs(&self) -> String {
        (0..self.incarnations)
            .map(|n| read_lossy(&self.err_path(n)))
            .collect::<Vec<_>>()
            .join("")
    }

    /// The last `lines` lines of the current incarnation's stdout and stderr.
    pub fn log_tail(&self, lines: usize) -> String {
        let n = self.incarnations.saturating_sub(1);
        let tail = |text: String| {
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        };
        format!(
            "--- {} stdout ---\n{}\n--- {} stderr ---\n{}",
            self.log_path(n).display(),
            tail(read_lossy(&self.log_path(n))),
            self.err_path(n).display(),
            tail(read_lossy(&self.err_path(n)))
        )
    }
}

impl Drop for OnboardProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn read_lossy(path: &Path) -> String {
    fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
