//! The Markdown report.

use std::fmt::Write as _;

use crate::flows::SagaPath;
use crate::linking::LinkingReport;
use crate::pairing::PairingReport;
use crate::parked::Parked;
use crate::physical::Ceiling;
use crate::replicas::Replicas;
use crate::roundtrips::RoundTrips;
use crate::run_result::RunResult;
use crate::targets;

/// Everything measured.
pub struct Report {
    /// The command line of the run, as typed.
    pub command: String,
    /// Run settings, one line each.
    pub settings: Vec<String>,
    /// Process roles in CPU columns.
    pub roles: Vec<&'static str>,
    /// Throughput runs by path.
    pub runs: Vec<(SagaPath, RunResult)>,
    /// Redis commands per saga.
    pub round_trips: Vec<RoundTrips>,
    /// Parked memory.
    pub parked: Option<Parked>,
    /// Three replicas and a failover.
    pub replicas: Option<Replicas>,
    /// redis-benchmark ceiling.
    pub ceiling: Option<Ceiling>,
    /// Pairing codes.
    pub pairing: Option<PairingReport>,
    /// Account linking.
    pub linking: Option<LinkingReport>,
}

const MB: f64 = 1024.0 * 1024.0;

impl Report {
    /// The report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::from("## onboard-bench results\n\n");
        for line in &self.settings {
            let _ = writeln!(out, "- {line}");
        }
        self.throughput(&mut out);
        self.commands(&mut out);
        self.parked(&mut out);
        self.replicas(&mut out);
        self.ceiling(&mut out);
        self.pairing(&mut out);
        self.linking(&mut out);
        out.push_str("\n### Targets (from the issue; reported, never asserted)\n\n");
        out.push_str("| Target | Measured | Verdict |\n|---|---|---|\n");
        for row in targets::rows(self) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                row.target, row.measured, row.verdict
            );
        }
        out
    }

    fn replicas(&self, out: &mut String) {
        let Some(replicas) = &self.replicas else {
            return;
        };
        out.push_str("\n### Three replicas on one Redis (no-prompt path, concurrency 64)\n\n");
        out.push_str(
            "Each saga is started at the next replica in turn and read (`?wait`) at the one \
             that started it while that one lives, as a load balancer with affinity by \
             workflow does; a `?wait` read at another replica learns of a change by looking at \
             the store every 500 ms.\n\n",
        );
        out.push_str("| Run | Sagas | Sagas/s | p50 ms | p99 ms | Errors |\n|---|---:|---:|---:|---:|---:|\n");
        for (label, run) in [
            ("three replicas", &replicas.run),
            (
                "one killed after 3 s (requests in flight to it fail)",
                &replicas.failover_run,
            ),
        ] {
            let _ = writeln!(
                out,
                "| {label} | {} | {:.0} | {:.2} | {:.2} | {} |",
                run.ok,
                run.rate(),
                run.quantile_ms(0.5),
                run.quantile_ms(0.99),
                run.errors
            );
        }
        let _ = writeln!(
            out,
            "\nFailover: the killed replica held the leases of {} active sagas; the last of them \
             left the active set (done, under another replica) {:.2} s after the kill \
             (lease TTL 5 s).",
            replicas.affected,
            replicas.failover.as_secs_f64()
        );
    }

    fn throughput(&self, out: &mut String) {
        if self.runs.is_empty() {
            return;
        }
        let roles = self.roles.join(" · ");
        out.push_str("\n### Throughput and latency (start → completed)\n\n");
        let _ = writeln!(
            out,
            "| Scenario | Conc. | Sagas | Sagas/s | p50 ms | p99 ms | max ms | Errors | CPU % ({roles}) | CPU µs/saga ({roles}) |"
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (path, run) in &self.runs {
            let secs = run.elapsed.as_secs_f64().max(1e-9);
            let pct: Vec<String> = run
                .cpu
                .iter()
                .map(|(_, cpu)| format!("{:.0}", cpu / secs * 100.0))
                .collect();
            let per: Vec<String> = run
                .cpu
                .iter()
                .map(|(_, cpu)| format!("{:.0}", cpu * 1e6 / run.ok.max(1) as f64))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {} | {} | {} |",
                path.label(),
                run.concurrency,
                run.ok,
                run.rate(),
                run.quantile_ms(0.5),
                run.quantile_ms(0.99),
                run.latency_us.max() as f64 / 1000.0,
                run.errors,
                pct.join(" · "),
                per.join(" · "),
            );
        }
    }

    fn commands(&self, out: &mut String) {
        if self.round_trips.is_empty() {
            return;
        }
        out.push_str("\n### Redis commands per saga (client commands; an EVALSHA counts once)\n\n");
        out.push_str(
            "| Path | Sagas counted | Commands/saga | By command (per saga) | Idle background |\n",
        );
        out.push_str("|---|---:|---:|---|---:|\n");
        for rt in &self.round_trips {
            let detail: Vec<String> = rt
                .by_command
                .iter()
                .map(|(name, n)| format!("{name} {n:.2}"))
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {} | {:.0}/s |",
                rt.path.label(),
                rt.sagas,
                rt.per_saga,
                detail.join(", "),
                rt.idle_per_sec
            );
        }
    }

    fn parked(&self, out: &mut String) {
        let Some(p) = &self.parked else { return };
        out.push_str("\n### Parked sagas (waiting on open security prompts)\n\n");
        out.push_str("| Parked | Errors | Took s | Parked/s | p99 to waiting ms | RSS before MB | RSS after MB | Δ RSS MB | Δ RSS bytes/saga | Redis used_memory bytes/saga |\n");
        out.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        let n = p.run.ok.max(1) as f64;
        let redis = p.redis_memory.1 as f64 - p.redis_memory.0 as f64;
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} |",
            p.run.ok,
            p.run.errors,
            p.run.elapsed.as_secs_f64(),
            p.run.rate(),
            p.run.quantile_ms(0.99),
            p.rss_before as f64 / MB,
            p.rss_after as f64 / MB,
            p.rss_delta() as f64 / MB,
            p.rss_delta() as f64 / n,
            redis / n,
        );
    }

    fn ceiling(&self, out: &mut String) {
        let Some(c) = &self.ceiling else { return };
        out.push_str("\n### Redis ceiling (redis-benchmark, one EVALSHA of a transition-shaped script, -c 64 -P 1)\n\n");
        out.push_str("| Requests | EVALSHA/s | p50 ms | Args (meta/state/journal bytes) | Implied sagas/s |\n");
        out.push_str("|---:|---:|---:|---|---|\n");
        let implied: Vec<String> = self
            .round_trips
            .iter()
            .filter(|rt| rt.per_saga > 0.0)
            .map(|rt| {
                format!(
                    "{} {:.0} (at {:.1} cmds/saga)",
                    rt.path.label(),
                    c.rps / rt.per_saga,
                    rt.per_saga
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {:.0} | {} | {}/{}/{} | {} |",
            c.requests,
            c.rps,
            c.p50_ms.map_or("–".to_owned(), |v| format!("{v:.3}")),
            c.sizes.meta,
            c.sizes.state,
            c.sizes.journal_entry,
            if implied.is_empty() {
                "–".to_owned()
            } else {
                implied.join("; ")
            },
        );
    }

    fn pairing(&self, out: &mut String) {
        let Some(p) = &self.pairing else { return };
        out.push_str("\n### Pairing codes (seed 002)\n\n");
        out.push_str(
            "| Part | Conc. | Requests | Per second | p50 ms | p99 ms | max ms | Errors |\n",
        );
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        run_row(out, "create, 20 km square", &p.create);
        run_row(out, "claim at 100 m", &p.claim);
        for step in &p.densities {
            let label = format!(
                "create with {} live codes within 1 km (filled in {:.1} s)",
                step.live,
                step.fill.as_secs_f64()
            );
            run_row(out, &label, &step.creation);
        }
        let exhausted = match p.exhausted_at {
            Some(live) => format!("at {live} live codes within 1 km"),
            None => "never, up to the largest density".to_owned(),
        };
        let _ = writeln!(out, "\nFirst `codes_exhausted`: {exhausted}.");
    }

    fn linking(&self, out: &mut String) {
        let Some(l) = &self.linking else { return };
        out.push_str("\n### Account linking (seed 000)\n\n");
        let _ = writeln!(out, "Command: `{}`\n", self.command);
        out.push_str("| Part | Conc. | Done | Per second | p50 ms | p99 ms | max ms | Errors |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        run_row(
            out,
            "link flows: create → exchange → complete",
            &l.link_flows,
        );
        let label = format!(
            "service requests: charge, POST → `completed` (over {} virtual ids)",
            l.virtual_ids
        );
        run_row(out, &label, &l.service_requests);
        let c = l.service_requests.concurrency;
        if let Some(a) = targets::run_at(self, SagaPath::NoPrompt, c) {
            run_row(out, "A no-prompt registration, same run", a);
        }
        if l.pool_ran_out {
            out.push_str(
                "\nThe wallet accounts made for the link flows ran out before the duration.\n",
            );
        }
        if let Some(row) = targets::service_requests(self) {
            let _ = writeln!(
                out,
                "\nTarget: {}: {}: **{}**.",
                row.target, row.measured, row.verdict
            );
        }
        let r = &l.resolution.latency_us;
        let _ = writeln!(
            out,
            "\nVirtual-id resolution (`Links::resolve` in process over this run's Redis, one \
             at a time while nothing else ran; {} resolutions over {} virtual ids): p50 {} µs, \
             p99 {} µs, max {} µs.",
            r.len(),
            l.virtual_ids,
            r.value_at_quantile(0.5),
            r.value_at_quantile(0.99),
            r.max()
        );
    }
}

/// One row of a table of runs: label, concurrency, count, rate, latencies, errors.
fn run_row(out: &mut String, label: &str, t: &RunResult) {
    let _ = writeln!(
        out,
        "| {label} | {} | {} | {:.0} | {:.2} | {:.2} | {:.1} | {} |",
        t.concurrency,
        t.ok,
        t.rate(),
        t.quantile_ms(0.5),
        t.quantile_ms(0.99),
        t.latency_us.max() as f64 / 1000.0,
        t.errors
    );
}
