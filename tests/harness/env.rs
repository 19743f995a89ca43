//! A test's environment: a temporary directory, an `onboard serve` process with
//! a unique Redis key prefix (or the embedded store), and clients for it.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::harness::client::Api;
use crate::harness::process::{OnboardProcess, ProcessSpec};
use crate::harness::redis_probe::RedisProbe;
use crate::harness::sandbox::SandboxClient;

/// The Redis the tests use: `ONBOARD_TEST_REDIS_URL`, default `redis://127.0.0.1:6379`.
pub fn redis_url() -> String {
    std::env::var("ONBOARD_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Builds a [`TestEnv`].
#[derive(Debug, Clone)]
pub struct TestEnvBuilder {
    redis: bool,
    own_redis: Option<String>,
    sandbox_url: Option<String>,
    env: Vec<(String, String)>,
}

impl TestEnvBuilder {
    /// `onboard serve` on real Redis with a fresh key prefix, sandbox in process.
    pub fn redis() -> TestEnvBuilder {
        TestEnvBuilder {
            redis: true,
            own_redis: None,
            sandbox_url: None,
            env: Vec::new(),
        }
    }

    /// `onboard serve` on the embedded store in the test's data directory.
    pub fn embedded() -> TestEnvBuilder {
        TestEnvBuilder {
            redis: false,
            ..TestEnvBuilder::redis()
        }
    }

    /// `onboard serve` on the test's own Redis at `urls` (several comma-separated URLs:
    /// a Redis Cluster's seed nodes), with a fresh key prefix; the test inspects that
    /// Redis itself.
    pub fn redis_at(urls: impl Into<String>) -> TestEnvBuilder {
        TestEnvBuilder {
            own_redis: Some(urls.into()),
            ..TestEnvBuilder::redis()
        }
    }

    /// Sends party calls to (and inspects) the sandbox at `url` instead of the in-process one.
    pub fn sandbox_url(mut self, url: impl Into<String>) -> TestEnvBuilder {
        self.sandbox_url = Some(url.into());
        self
    }

    /// Sets an environment variable of the server, e.g. `ONBOARD_CONNECTORS__TIMEOUT_MS`.
    pub fn env(mut self, key: &str, value: impl ToString) -> TestEnvBuilder {
        self.env.push((key.to_owned(), value.to_string()));
        self
    }

    /// How long a security prompt stays open.
    pub fn prompt_ttl_secs(self, secs: u64) -> TestEnvBuilder {
        self.env("ONBOARD_SAGAS__SECURITY_PROMPT_TTL_SECS", secs)
    }

    /// How long a credit application waits for a savings card.
    pub fn savings_binding_ttl_secs(self, secs: u64) -> TestEnvBuilder {
        self.env("ONBOARD_SAGAS__SAVINGS_BINDING_TTL_SECS", secs)
    }

    /// Starts the server and waits until it is ready.
    pub async fn start(self) -> TestEnv {
        let dir = tempfile::Builder::new()
            .prefix("onboard-e2e-")
            .tempdir()
            .expect("tempdir");
        let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
        let data_dir = dir.path().join("data");
        let mut args = vec![
            "serve".to_owned(),
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
        ];
        let mut env = vec![
            ("RUST_LOG".to_owned(), "info".to_owned()),
            (
                "ONBOARD_TIMERS__POLL_INTERVAL_MS".to_owned(),
                "100".to_owned(),
            ),
        ];
        let redis = if let Some(urls) = &self.own_redis {
            args.extend(["--redis-url".to_owned(), urls.clone()]);
            env.push(("ONBOARD_STORE__KEY_PREFIX".to_owned(), prefix.clone()));
            None
        } else if self.redis {
            let url = redis_url();
            args.extend(["--redis-url".to_owned(), url.clone()]);
            env.push(("ONBOARD_STORE__KEY_PREFIX".to_owned(), prefix.clone()));
            Some(RedisProbe::connect(&url, &prefix))
        } else {
            None
        };
        if let Some(url) = &self.sandbox_url {
            args.extend(["--sandbox-url".to_owned(), url.clone()]);
        }
        env.extend(self.env);
        let server = OnboardProcess::start(ProcessSpec {
            name: "serve".into(),
            args,
            env,
            ready_path: "/readyz".into(),
            logs_dir: dir.path().join("logs"),
        })
        .await;
        let api = Api::new(server.base_url());
        let sandbox = SandboxClient::new(self.sandbox_url.unwrap_or_else(|| server.base_url()));
        TestEnv {
            server,
            api,
            sandbox,
            redis,
            prefix,
            dir: Some(dir),
        }
    }
}

/// A running orchestrator and everything a test needs to talk to it.
/// On drop the server is killed; the Redis keys are deleted unless the test
/// failed (then the log tail is printed and the directory kept).
#[derive(Debug)]
pub struct TestEnv {
    /// The `onboard serve` process.
    pub server: OnboardProcess,
    /// Client of its API.
    pub api: Api,
    /// Client of the sandbox it calls.
    pub sandbox: SandboxClient,
    /// The Redis under the test's prefix (None on the embedded store).
    pub redis: Option<RedisProbe>,
    /// The Redis key prefix.
    pub prefix: String,
    dir: Option<TempDir>,
}

impl TestEnv {
    /// The test's temporary directory (data and logs).
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("dir").path()
    }

    /// The Redis probe; panics on the embedded store.
    pub fn redis(&mut self) -> &mut RedisProbe {
        self.redis.as_mut().expect("this environment runs on Redis")
    }

    /// Starts a standalone `onboard sandbox` with its own data directory under
    /// `dir` (for tests that kill the orchestrator but not the parties).
    pub async fn start_sandbox_process(dir: &Path) -> OnboardProcess {
        OnboardProcess::start(ProcessSpec {
            name: "sandbox".into(),
            args: vec![
                "sandbox".into(),
                "--data-dir".into(),
                dir.join("sandbox-data").display().to_string(),
            ],
            env: vec![("RUST_LOG".into(), "info".into())],
            ready_path: "/healthz".into(),
            logs_dir: dir.join("logs"),
        })
        .await
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let keep = std::env::var("ONBOARD_TEST_KEEP").is_ok_and(|v| v == "1");
        if std::thread::panicking() || keep {
            eprintln!(
                "test environment kept at {} (redis prefix {}); server log tail:\n{}",
                self.dir().display(),
                self.prefix,
                self.server.log_tail(30)
            );
            if let Some(dir) = self.dir.take() {
                let _: PathBuf = dir.keep();
            }
        } else if let Some(redis) = self.redis.as_mut() {
            self.server.kill9();
            redis.cleanup();
        }
    }
}
