//! The load: accounts made beforehand, then closed-loop workers (verify, refresh) and an
//! open-loop login stream, each recording latencies in an HDR histogram.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use hdrhistogram::Histogram;
use serde_json::{json, Value};

/// The password of every bench account.
const PASSWORD: &str = "bench-Tangerine-orbit-7";
/// The app the measured tickets are for.
const APP: &str = "sandbox-app";
/// The app the background logins are for, so that they never replace a measured ticket.
const LOGIN_APP: &str = "sandbox-app-2";
/// The bearer key of [`APP`]'s resource server.
const APP_KEY: &str = "app_test_key";
/// Accounts made at once.
const SETUP_CONCURRENCY: usize = 8;

/// One account and the ticket it got for [`APP`].
#[derive(Debug, Clone)]
pub struct User {
    username: String,
    ticket: Value,
}

/// The HTTP client of the run.
pub struct Client {
    http: reqwest::Client,
    base: String,
}

/// What one run measured.
pub struct Outcome {
    /// Workers (0 for the open-loop logins).
    pub concurrency: usize,
    /// Answers as expected.
    pub ok: u64,
    /// Other answers and transport errors.
    pub errors: u64,
    /// How long the run took.
    pub elapsed: Duration,
    latency_us: Histogram<u64>,
}

impl Outcome {
    fn new(concurrency: usize) -> Outcome {
        Outcome {
            concurrency,
            ok: 0,
            errors: 0,
            elapsed: Duration::ZERO,
            latency_us: Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds"),
        }
    }

    fn record(&mut self, ok: bool, began: Instant) {
        if ok {
            self.ok += 1;
            let us = u64::try_from(began.elapsed().as_micros()).unwrap_or(u64::MAX);
            self.latency_us.saturating_record(us.max(1));
        } else {
            self.errors += 1;
        }
    }

    fn merge(&mut self, other: Outcome) {
        self.ok += other.ok;
        self.errors += other.errors;
        self.latency_us
            .add(&other.latency_us)
            .expect("same histogram bounds");
    }

    /// Answers per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Latency quantile `q`, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }

    /// One line for the log.
    pub fn line(&self) -> String {
        format!(
            "{} ok, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
            self.ok,
            self.rate(),
            self.quantile_ms(0.5),
            self.quantile_ms(0.99),
            self.errors
        )
    }
}

impl Client {
    /// A client of the server at `base`, keeping connections alive.
    pub fn new(base: &str) -> anyhow::Result<Client> {
        Ok(Client {
            http: reqwest::Client::builder()
                .no_proxy()
                .pool_max_idle_per_host(1024)
                .timeout(Duration::from_secs(30))
                .build()?,
            base: base.to_owned(),
        })
    }

    async fn post(
        &self,
        path: &str,
        key: Option<&str>,
        body: &Value,
    ) -> anyhow::Result<(u16, Value)> {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    /// Makes `count` accounts, each logged in for [`APP`].
    pub async fn accounts(self: &Arc<Self>, count: usize) -> anyhow::Result<Vec<User>> {
        let mut users = Vec::with_capacity(count);
        for chunk in (0..count).collect::<Vec<_>>().chunks(SETUP_CONCURRENCY) {
            let made = chunk.iter().map(|n| {
                let client = Arc::clone(self);
                let username = format!("bench.{}.{n}", std::process::id());
                async move { client.account(username).await }
            });
            for user in futures::future::join_all(made).await {
                users.push(user?);
            }
        }
        Ok(users)
    }

    async fn account(&self, username: String) -> anyhow::Result<User> {
        let body = json!({ "username": username, "password": PASSWORD });
        let (status, answer) = self.post("/v1/accounts", None, &body).await?;
        anyhow::ensure!(status == 201, "POST /v1/accounts: {status} {answer}");
        let ticket = self.login(&username, APP).await?;
        Ok(User { username, ticket })
    }

    async fn login(&self, username: &str, app_id: &str) -> anyhow::Result<Value> {
        let body = json!({ "username": username, "password": PASSWORD, "app_id": app_id });
        let (status, ticket) = self.post("/v1/tickets", None, &body).await?;
        anyhow::ensure!(status == 201, "POST /v1/tickets: {status} {ticket}");
        Ok(ticket)
    }
}

/// `concurrency` workers verifying the users' tickets, one after another, for `duration`.
pub async fn verify(
    client: &Arc<Client>,
    users: &[User],
    concurrency: usize,
    duration: Duration,
) -> Outcome {
    let bodies: Arc<Vec<Value>> = Arc::new(
        users
            .iter()
            .map(|user| {
                json!({
                    "user_id": user.ticket["user_id"],
                    "authorization_key": user.ticket["authorization_key"],
                })
            })
            .collect(),
    );
    let started = Instant::now();
    let workers = (0..concurrency).map(|worker| {
        let (client, bodies) = (Arc::clone(client), Arc::clone(&bodies));
        tokio::spawn(async move {
            let mut outcome = Outcome::new(0);
            let mut n = worker;
            while started.elapsed() < duration {
                let began = Instant::now();
                let answer = client
                    .post(
                        "/v1/tickets/verify",
                        Some(APP_KEY),
                        &bodies[n % bodies.len()],
                    )
                    .await;
                outcome.record(matches!(answer, Ok((200, _))), began);
                n += concurrency;
            }
            outcome
        })
    });
    gather(concurrency, workers.collect(), started).await
}

/// `per_second` logins (for another app) spread evenly over `duration`, each on a task of
/// its own: an open loop, so a slow login does not slow the stream down.
pub async fn logins(
    client: &Arc<Client>,
    users: &[User],
    per_second: u64,
    duration: Duration,
) -> Outcome {
    let started = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / per_second.max(1) as u32);
    let mut tasks = Vec::new();
    let mut n = 0;
    while started.elapsed() < duration {
        ticker.tick().await;
        let client = Arc::clone(client);
        let username = users[n % users.len()].username.clone();
        n += 1;
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome::new(0);
            let began = Instant::now();
            let ok = client.login(&username, LOGIN_APP).await.is_ok();
            outcome.record(ok, began);
            outcome
        }));
    }
    gather(0, tasks, started).await
}

/// `concurrency` workers, each rotating its own user's ticket again and again.
pub async fn refresh(
    client: &Arc<Client>,
    users: &[User],
    concurrency: usize,
    duration: Duration,
) -> Outcome {
    let started = Instant::now();
    let workers = users.iter().take(concurrency).map(|user| {
        let client = Arc::clone(client);
        let mut ticket = user.ticket.clone();
        tokio::spawn(async move {
            let mut outcome = Outcome::new(0);
            while started.elapsed() < duration {
                let body = json!({
                    "user_id": ticket["user_id"],
                    "app_id": APP,
                    "refresh_key": ticket["refresh_key"],
                });
                let began = Instant::now();
                let answer = client.post("/v1/tickets/refresh", None, &body).await;
                match answer {
                    Ok((201, next)) => {
                        ticket = next;
                        outcome.record(true, began);
                    }
                    _ => {
                        outcome.record(false, began);
                        break;
                    }
                }
            }
            outcome
        })
    });
    let workers: Vec<_> = workers.collect();
    let count = workers.len();
    gather(count, workers, started).await
}

async fn gather(
    concurrency: usize,
    tasks: Vec<tokio::task::JoinHandle<Outcome>>,
    started: Instant,
) -> Outcome {
    let mut total = Outcome::new(concurrency);
    for task in tasks {
        match task.await.context("a load task failed") {
            Ok(outcome) => total.merge(outcome),
            Err(_) => total.errors += 1,
        }
    }
    total.elapsed = started.elapsed();
    total
}
