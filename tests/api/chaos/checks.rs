//! The crash tests' shared checks: every planned workflow accepted and final,
//! the ledger and the operator listing holding exactly the accepted ones, and
//! the run's report and verdict.

use std::collections::BTreeMap;
use std::time::Instant;

use onboard_tests::{Api, Ledger, OPERATOR_KEY};
use reqwest::Method;
use serde_json::Value;

use super::{Flow, Tracked};

/// An accepted, final workflow: index, plan, id and outcome.
pub type Finished<'a, T> = (usize, &'a T, &'a str, &'a Value);

/// The accepted, final workflows; a violation in `violations` for each other.
pub fn finished<'a, T: Tracked>(
    flow: &Flow,
    items: &'a [T],
    violations: &mut Vec<String>,
) -> Vec<Finished<'a, T>> {
    let mut done = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(id) = item.id() else {
            violations.push(format!(
                "{} {i} ({:?}) was never accepted",
                flow.item,
                item.kind()
            ));
            continue;
        };
        let Some(outcome) = item.outcome() else {
            violations.push(format!(
                "{} {i} {id} ({:?}) never became final",
                flow.item,
                item.kind()
            ));
            continue;
        };
        done.push((i, item, id, outcome));
    }
    done
}

/// Prefixes one workflow's violations with what it is.
pub fn tagged<T: Tracked>(
    flow: &Flow,
    i: usize,
    item: &T,
    id: &str,
    out: Vec<String>,
) -> Vec<String> {
    out.into_iter()
        .map(|v| format!("{} {i} {id} ({:?}): {v}", flow.item, item.kind()))
        .collect()
}

/// Violations of the store as a whole: effects in the ledger of a workflow no
/// POST was accepted for, and an operator listing that is not exactly the
/// accepted workflows (no duplicates).
pub async fn check_store<T: Tracked>(
    api: &Api,
    flow: &Flow,
    ledger: &Ledger,
    items: &[T],
) -> Vec<String> {
    let known: Vec<&str> = items.iter().filter_map(Tracked::id).collect();
    let mut violations = Vec::new();
    for workflow in ledger.workflow_ids() {
        if !known.contains(&workflow.as_str()) {
            violations.push(format!(
                "the ledger holds effects of unknown workflow {workflow} (a duplicate saga?): {:?}",
                ledger.summary(&workflow)
            ));
        }
    }
    let path = format!("/v1/admin/workflows?kind={}&limit=1000", flow.kind);
    let reply = api
        .send(Method::GET, &path, Some(OPERATOR_KEY), None, None)
        .await;
    if reply.status != 200 {
        violations.push(format!(
            "admin listing answered {} {}",
            reply.status, reply.text
        ));
        return violations;
    }
    let listed: Vec<&str> = reply.body["workflows"]
        .as_array()
        .map(|all| all.iter().filter_map(|w| w["id"].as_str()).collect())
        .unwrap_or_default();
    for id in &listed {
        if !known.contains(id) {
            violations.push(format!(
                "the store holds unknown workflow {id} (a duplicate saga?)"
            ));
        }
    }
    if listed.len() != known.len() {
        violations.push(format!(
            "the operator listing shows {} {}, {} were accepted",
            listed.len(),
            flow.listed,
            known.len()
        ));
    }
    violations
}

/// Outcome counts per kind, for the test's output.
pub fn outcome_table<T: Tracked>(items: &[T]) -> BTreeMap<String, usize> {
    let mut table = BTreeMap::new();
    for item in items {
        let outcome = item.outcome();
        let status = outcome
            .and_then(|o| o["status"].as_str())
            .unwrap_or("unfinished");
        let error = outcome
            .and_then(|o| o["error"]["code"].as_str())
            .unwrap_or("-");
        *table
            .entry(format!("{:?} -> {status} {error}", item.kind()))
            .or_insert(0) += 1;
    }
    table
}

/// How the chaos went, for the report.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// The run's seed.
    pub seed: u64,
    /// The kills (including those during start-up).
    pub kills: u32,
    /// The fewest kills the test asks for.
    pub min_kills: u32,
    /// When the chaos started (its time limit counts from here).
    pub started: Instant,
    /// When it ended.
    pub chaos_done: Instant,
    /// How often the orchestrator was started.
    pub incarnations: u32,
}

/// Prints the run and its outcome table, then asserts that there were at least
/// `min_kills` kills and no violation; `extra` adds to both lines.
#[track_caller]
pub fn conclude<T: Tracked>(
    flow: &Flow,
    run: &Run,
    extra: &str,
    items: &[T],
    violations: &[String],
) {
    let Run {
        seed,
        kills,
        min_kills,
        ..
    } = *run;
    eprintln!(
        "{}: seed {seed}, {kills} kills over {:?}, settled {:?} later, {} incarnations{extra}",
        flow.test,
        run.chaos_done - run.started,
        run.chaos_done.elapsed(),
        run.incarnations
    );
    for (outcome, n) in outcome_table(items) {
        eprintln!("  {n:3} × {outcome}");
    }
    assert!(kills >= min_kills, "only {kills} kills");
    assert!(
        violations.is_empty(),
        "{} (seed {seed}, {kills} kills{extra}) found {} violations:\n{}",
        flow.test,
        violations.len(),
        violations.join("\n")
    );
}
