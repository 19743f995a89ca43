//! One saga of each path, as a bank and a wallet would drive it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::api::{Api, Workflow};
use crate::credit::{CreditPool, Exhausted};
use crate::identity::{People, Person};

/// Which saga, and which way through it, a worker drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SagaPath {
    /// The wallet already knows the person: no prompt, straight to `completed`.
    NoPrompt,
    /// A new person: the saga waits on a security prompt that the wallet approves.
    Prompt,
    /// A credit application of a wallet user whose savings card is already bound: no
    /// waiting, straight to `completed` with a new credit account.
    Credit,
}

impl SagaPath {
    /// Name used in the report.
    pub fn label(self) -> &'static str {
        match self {
            SagaPath::NoPrompt => "A no-prompt",
            SagaPath::Prompt => "B prompt",
            SagaPath::Credit => "C credit (savings bound)",
        }
    }
}

/// What every worker shares.
#[derive(Clone)]
pub struct Shared {
    /// HTTP client.
    pub api: Api,
    /// Person generator.
    pub people: Arc<People>,
    /// No-prompt sagas per fixture person.
    pub fixture_reuse: usize,
    /// Fresh wallet persons for credit applications, made before a run.
    pub credit: Arc<CreditPool>,
}

/// One worker's state: the fixture person its no-prompt sagas use.
pub struct Worker {
    shared: Shared,
    fixture: Option<(Person, usize)>,
}

impl Worker {
    /// A worker without a fixture yet.
    pub fn new(shared: Shared) -> Worker {
        Worker {
            shared,
            fixture: None,
        }
    }

    /// Runs one saga of `path`; returns its start-to-completed time (fixture excluded).
    pub async fn run(&mut self, path: SagaPath) -> anyhow::Result<Duration> {
        match path {
            SagaPath::NoPrompt => self.no_prompt().await,
            SagaPath::Prompt => self.prompt().await,
            SagaPath::Credit => self.credit().await,
        }
    }

    async fn no_prompt(&mut self) -> anyhow::Result<Duration> {
        let reuse = self.shared.fixture_reuse.max(1);
        if self.fixture.as_ref().is_none_or(|(_, used)| *used >= reuse) {
            let person = self.shared.people.next();
            self.shared.api.fixture(&person.fixture_body()).await?;
            self.fixture = Some((person, 0));
        }
        let (person, used) = self.fixture.as_mut().expect("fixture set above");
        *used += 1;
        let body = person.onboarding_body(&self.shared.people.next_card());
        let api = &self.shared.api;
        let started = Instant::now();
        let workflow = api.settle(api.start(&body).await?, false).await?;
        expect_status(&workflow, "completed")?;
        Ok(started.elapsed())
    }

    async fn prompt(&mut self) -> anyhow::Result<Duration> {
        let person = self.shared.people.next();
        let body = person.onboarding_body(&person.card_number);
        let api = &self.shared.api;
        let started = Instant::now();
        let waiting = park_one(api, &body).await?;
        let prompt = waiting.prompt_id.clone().unwrap_or_default();
        api.approve(&prompt).await?;
        let workflow = api.settle(waiting, true).await?;
        expect_status(&workflow, "completed")?;
        Ok(started.elapsed())
    }

    /// One credit application of a pooled applicant; fails with [`Exhausted`] when the
    /// pool is empty.
    async fn credit(&mut self) -> anyhow::Result<Duration> {
        let applicant = self.shared.credit.take().ok_or(Exhausted)?;
        let body = applicant
            .person
            .credit_application_body(&applicant.payment_account_id);
        let api = &self.shared.api;
        let started = Instant::now();
        let workflow = api
            .settle(api.apply_for_credit(&body).await?, false)
            .await?;
        expect_status(&workflow, "completed")?;
        anyhow::ensure!(
            workflow.created == Some(true),
            "credit application {} completed with created = {:?}",
            workflow.id,
            workflow.created
        );
        Ok(started.elapsed())
    }

    /// Starts a prompt-path saga for a new person and returns once it waits.
    pub async fn park(&mut self) -> anyhow::Result<Workflow> {
        let person = self.shared.people.next();
        park_one(
            &self.shared.api,
            &person.onboarding_body(&person.card_number),
        )
        .await
    }
}

/// Starts a saga and follows it until it waits on a security prompt.
async fn park_one(api: &Api, body: &serde_json::Value) -> anyhow::Result<Workflow> {
    let workflow = api.settle(api.start(body).await?, false).await?;
    expect_status(&workflow, "waiting")?;
    anyhow::ensure!(
        workflow.prompt_id.is_some(),
        "saga {} waits without a security prompt",
        workflow.id
    );
    Ok(workflow)
}

fn expect_status(workflow: &Workflow, want: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        workflow.status == want,
        "saga {} ended {} instead of {want}",
        workflow.id,
        workflow.status
    );
    Ok(())
}
