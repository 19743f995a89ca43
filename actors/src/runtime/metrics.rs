//! Counters of the runtime for operators, rendered in the Prometheus text format at
//! `/metrics`. Labels are bounded sets (saga kinds, statuses, operations, outcomes).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

/// A counter's name and label pairs.
type Series = (&'static str, Vec<(&'static str, &'static str)>);

/// The runtime's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<Series, u64>>,
}

impl Metrics {
    /// Adds one to the counter `name` with `labels`.
    pub(crate) fn inc(&self, name: &'static str, labels: &[(&'static str, &'static str)]) {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        *counters.entry((name, labels.to_vec())).or_default() += 1;
    }

    /// Every counter, plus the given gauges, in the Prometheus text format.
    pub fn render(&self, gauges: &[(&str, &str, f64)]) -> String {
        let counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        let mut last_name = "";
        for ((name, labels), value) in counters.iter() {
            if *name != last_name {
                let _ = writeln!(out, "# TYPE {name} counter");
                last_name = name;
            }
            let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
            let _ = writeln!(out, "{name}{{{}}} {value}", labels.join(","));
        }
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_render_as_prometheus_text() {
        let metrics = Metrics::default();
        metrics.inc(
            "onboard_transitions_total",
            &[("kind", "a"), ("status", "running")],
        );
        metrics.inc(
            "onboard_transitions_total",
            &[("kind", "a"), ("status", "running")],
        );
        let text = metrics.render(&[("onboard_live_actors", "Sagas holding an actor", 3.0)]);
        assert!(text.contains("# TYPE onboard_transitions_total counter"));
        assert!(text.contains("onboard_transitions_total{kind=\"a\",status=\"running\"} 2"));
        assert!(text.contains("onboard_live_actors 3"));
    }
}
