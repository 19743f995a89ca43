//! Scenario C's fixtures. A person gets one credit account, so every credit application
//! needs a fresh wallet person (with a usage history and a savings card bound). They are
//! made before a timed run, so neither its latency nor its throughput includes them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::api::Api;
use crate::identity::{People, Person};

/// Wallet persons ready for one credit application each.
#[derive(Default)]
pub struct CreditPool {
    ready: Mutex<Vec<Applicant>>,
}

/// A person the wallet knows, with a savings card bound, who holds no credit account.
pub struct Applicant {
    /// The person, for the partial real-name info of the application.
    pub person: Person,
    /// The person's wallet account.
    pub payment_account_id: String,
}

/// The pool ran out: the worker stops (not an error of the saga).
#[derive(Debug)]
pub struct Exhausted;

impl std::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no credit applicant left in the pool")
    }
}

impl std::error::Error for Exhausted {}

impl CreditPool {
    /// The next applicant, if any is left.
    pub fn take(&self) -> Option<Applicant> {
        self.lock().pop()
    }

    /// Applicants left.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Forgets the applicants left (they stay in the sandbox, unused).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Applicant>> {
        self.ready.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes `count` fresh applicants with `concurrency` concurrent fixture calls;
    /// returns how long it took.
    pub async fn fill(
        self: &Arc<Self>,
        api: &Api,
        people: &Arc<People>,
        count: usize,
        concurrency: usize,
    ) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let tickets = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..concurrency.clamp(1, count.max(1)) {
            let (pool, api, people, tickets) =
                (self.clone(), api.clone(), people.clone(), tickets.clone());
            tasks.push(tokio::spawn(async move {
                while tickets.fetch_add(1, Ordering::Relaxed) < count {
                    let person = people.next();
                    let payment_account_id = api.fixture(&person.credit_fixture_body()).await?;
                    pool.lock().push(Applicant {
                        person,
                        payment_account_id,
                    });
                }
                anyhow::Ok(())
            }));
        }
        for task in tasks {
            task.await??;
        }
        Ok(started.elapsed())
    }
}
