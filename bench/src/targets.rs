//! The performance targets, compared with what was measured (never asserted).

use crate::flows::SagaPath;
use crate::report::Report;
use crate::run_result::RunResult;

/// One line of the comparison.
pub struct TargetRow {
    /// What the issue asks for.
    pub target: String,
    /// What was measured.
    pub measured: String,
    /// "met", "short by …" or "not measured".
    pub verdict: String,
}

/// The throughput run of `path` at `concurrency`, if the report has one.
pub fn run_at(report: &Report, path: SagaPath, concurrency: usize) -> Option<&RunResult> {
    report
        .runs
        .iter()
        .find(|(p, r)| *p == path && r.concurrency == concurrency)
        .map(|(_, r)| r)
}

/// A "higher is better" comparison.
fn at_least(target: &str, goal: f64, measured: Option<f64>, unit: &str) -> TargetRow {
    row(target, goal, measured, unit, true)
}

/// A "lower is better" comparison.
fn at_most(target: &str, goal: f64, measured: Option<f64>, unit: &str) -> TargetRow {
    row(target, goal, measured, unit, false)
}

fn row(target: &str, goal: f64, measured: Option<f64>, unit: &str, higher: bool) -> TargetRow {
    let Some(value) = measured else {
        return TargetRow {
            target: target.to_owned(),
            measured: "–".to_owned(),
            verdict: "not measured".to_owned(),
        };
    };
    let met = if higher { value >= goal } else { value <= goal };
    let verdict = if met {
        "met".to_owned()
    } else if higher {
        format!(
            "short by {:.0}% ({:.1} {unit} below)",
            (1.0 - value / goal) * 100.0,
            goal - value
        )
    } else {
        format!(
            "short: {:.3} {unit} over ({:.1}% above the limit)",
            value - goal,
            (value / goal - 1.0) * 100.0
        )
    };
    TargetRow {
        target: target.to_owned(),
        measured: format!("{value:.2} {unit}"),
        verdict,
    }
}

/// The rows for `report`.
pub fn rows(report: &Report) -> Vec<TargetRow> {
    let a64 = run_at(report, SagaPath::NoPrompt, 64);
    let a1 = run_at(report, SagaPath::NoPrompt, 1);
    let b64 = run_at(report, SagaPath::Prompt, 64);
    let parked_mb = report.parked.as_ref().map(|p| {
        let n = p.run.ok.max(1) as f64;
        p.rss_delta() as f64 / (1024.0 * 1024.0) * (100_000.0 / n)
    });
    let parked_label = match &report.parked {
        Some(p) if p.run.ok != 100_000 => format!(
            "100,000 parked sagas add ≤ 50 MB RSS (scaled from {}: noisy below ~50,000)",
            p.run.ok
        ),
        _ => "100,000 parked sagas add ≤ 50 MB RSS".to_owned(),
    };
    let mut rows = vec![
        at_least(
            "no-prompt ≥ 2,500 sagas/s at concurrency 64",
            2500.0,
            a64.map(RunResult::rate),
            "sagas/s",
        ),
        at_most(
            "no-prompt p99 ≤ 60 ms at concurrency 64",
            60.0,
            a64.map(|r| r.quantile_ms(0.99)),
            "ms",
        ),
        at_most(
            "one saga alone p50 ≤ 2 ms",
            2.0,
            a1.map(|r| r.quantile_ms(0.5)),
            "ms",
        ),
        at_least(
            "prompt path ≥ 1,000 sagas/s (concurrency 64)",
            1000.0,
            b64.map(RunResult::rate),
            "sagas/s",
        ),
        at_most(&parked_label, 50.0, parked_mb, "MB"),
        credit(report),
    ];
    rows.extend(service_requests(report));
    rows
}

/// Seed 000's target, when the linking part ran: service requests per second at least the
/// no-prompt registration's rate in the same run, at the same concurrency.
pub fn service_requests(report: &Report) -> Option<TargetRow> {
    let requests = &report.linking.as_ref()?.service_requests;
    let c = requests.concurrency;
    let target = format!(
        "service requests ≥ the no-prompt registration rate of the same run (concurrency {c})"
    );
    let Some(a) = run_at(report, SagaPath::NoPrompt, c) else {
        return Some(TargetRow {
            target,
            measured: format!("{:.0} requests/s", requests.rate()),
            verdict: format!(
                "not measured: scenario A did not run at concurrency {c} (add `a` to --scenarios and {c} to --concurrency)"
            ),
        });
    };
    let mut row = at_least(&target, a.rate(), Some(requests.rate()), "requests/s");
    row.measured = format!("{} against {:.2} sagas/s", row.measured, a.rate());
    Some(row)
}

/// The issue asks for the credit path's figures without setting a number.
fn credit(report: &Report) -> TargetRow {
    let c64 = run_at(report, SagaPath::Credit, 64);
    let c1 = run_at(report, SagaPath::Credit, 1);
    let mut measured = Vec::new();
    if let Some(r) = c64 {
        measured.push(format!(
            "{:.0} sagas/s at concurrency 64 (p50 {:.2} ms, p99 {:.2} ms)",
            r.rate(),
            r.quantile_ms(0.5),
            r.quantile_ms(0.99)
        ));
    }
    if let Some(r) = c1 {
        measured.push(format!(
            "one alone p50 {:.2} ms, p99 {:.2} ms",
            r.quantile_ms(0.5),
            r.quantile_ms(0.99)
        ));
    }
    TargetRow {
        target: "credit application (savings card bound): throughput and latency (no number given)"
            .to_owned(),
        verdict: if measured.is_empty() {
            "not measured".to_owned()
        } else {
            "reported".to_owned()
        },
        measured: if measured.is_empty() {
            "–".to_owned()
        } else {
            measured.join("; ")
        },
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::linking::LinkingReport;

    /// A one-second run of `ok` jobs on `concurrency` workers.
    fn run(concurrency: usize, ok: u64) -> RunResult {
        RunResult {
            ok,
            elapsed: Duration::from_secs(1),
            ..RunResult::empty(concurrency)
        }
    }

    fn report(requests_per_sec: u64, no_prompt: Option<(usize, u64)>) -> Report {
        let runs = no_prompt.map(|(concurrency, ok)| (SagaPath::NoPrompt, run(concurrency, ok)));
        Report {
            command: String::new(),
            settings: Vec::new(),
            roles: Vec::new(),
            runs: runs.into_iter().collect(),
            round_trips: Vec::new(),
            parked: None,
            replicas: None,
            ceiling: None,
            pairing: None,
            linking: Some(LinkingReport {
                link_flows: run(64, 1),
                pool_ran_out: false,
                service_requests: run(64, requests_per_sec),
                virtual_ids: 1,
                resolution: run(1, 1),
            }),
        }
    }

    #[test]
    fn service_requests_are_compared_with_the_no_prompt_rate_at_their_concurrency() {
        let met = service_requests(&report(3_000, Some((64, 2_000)))).unwrap();
        assert_eq!(met.verdict, "met");
        let short = service_requests(&report(1_500, Some((64, 2_000)))).unwrap();
        assert!(
            short.verdict.starts_with("short by 25%"),
            "{}",
            short.verdict
        );
        let elsewhere = service_requests(&report(3_000, Some((512, 100)))).unwrap();
        assert!(elsewhere.verdict.starts_with("not measured"));
        let mut without = report(3_000, None);
        assert!(rows(&without)
            .iter()
            .any(|row| row.target.starts_with("service requests")));
        without.linking = None;
        assert!(service_requests(&without).is_none());
        assert!(!rows(&without)
            .iter()
            .any(|row| row.target.starts_with("service requests")));
    }
}
