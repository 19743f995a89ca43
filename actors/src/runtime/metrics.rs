//! Counters of the runtime for operators, rendered in the Prometheus text format at
//! `/metrics`. Labels are bounded sets (saga kinds, statuses, operations, outcomes).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

/// A counter's name and label pairs.
type Series = (&'static str, Vec<(&'static str, &'static str)>);

/// A value read when `/metrics` is rendered, e.g. how many sagas hold an actor.
#[derive(Debug, Clone, Copy)]
pub struct Gauge<'a> {
    /// The metric's name; gauges of one name must be given together.
    pub name: &'a str,
    /// What it measures.
    pub help: &'a str,
    /// Its label pairs.
    pub labels: &'a [(&'a str, &'a str)],
    /// Its value now.
    pub value: f64,
}

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

    /// Adds `count` to the counter `name` with `labels`; adding 0 makes the series appear.
    pub(crate) fn add(
        &self,
        name: &'static str,
        labels: &[(&'static str, &'static str)],
        count: u64,
    ) {
        let mut counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        *counters.entry((name, labels.to_vec())).or_default() += count;
    }

    /// Every counter, plus the given gauges, in the Prometheus text format.
    pub fn render(&self, gauges: &[Gauge<'_>]) -> String {
        let counters = self.counters.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        let mut last_name = "";
        for ((name, labels), value) in counters.iter() {
            if *name != last_name {
                let _ = writeln!(out, "# TYPE {name} counter");
                last_name = name;
            }
            let _ = writeln!(out, "{name}{} {value}", label_set(labels));
        }
        let mut last_gauge = "";
        for gauge in gauges {
            if gauge.name != last_gauge {
                let (name, help) = (gauge.name, gauge.help);
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
                last_gauge = gauge.name;
            }
            let _ = writeln!(
                out,
                "{}{} {}",
                gauge.name,
                label_set(gauge.labels),
                gauge.value
            );
        }
        out
    }
}

/// `{k="v",…}`, or nothing for no labels.
fn label_set(labels: &[(&str, &str)]) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{{{}}}", pairs.join(","))
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
        let text = metrics.render(&[
            Gauge {
                name: "onboard_live_actors",
                help: "Sagas holding an actor",
                labels: &[],
                value: 3.0,
            },
            Gauge {
                name: "onboard_party_calls_waiting",
                help: "Calls waiting",
                labels: &[("party", "bank")],
                value: 1.0,
            },
        ]);
        assert!(text.contains("# TYPE onboard_transitions_total counter"));
        assert!(text.contains("onboard_transitions_total{kind=\"a\",status=\"running\"} 2"));
        assert!(text.contains("onboard_live_actors 3"));
        assert!(text.contains("onboard_party_calls_waiting{party=\"bank\"} 1"));
        assert_eq!(text.matches("# TYPE onboard_live_actors gauge").count(), 1);
    }
}
