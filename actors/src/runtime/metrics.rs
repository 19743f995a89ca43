//! Counters and histograms of the runtime for operators, on the `prometheus` crate, and
//! rendered with the gauges read at scrape time in the Prometheus text format at
//! `/metrics`. Labels are bounded sets (saga kinds, statuses, parties, operations,
//! outcomes, route patterns), never ids or personal data.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use prometheus::core::Collector;
use prometheus::proto::MetricFamily;
use prometheus::{GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, Opts};

/// Upper bounds (seconds) of the party-call buckets: a sandbox answers in about a
/// millisecond, a connector gives up after `connectors.timeout_ms` (3 s by default).
const PARTY_CALL_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Upper bounds (seconds) of the saga-duration buckets: from a saga that ends at its first
/// refusal to one that waited for a person until its deadline (minutes) or beyond.
const SAGA_BUCKETS: &[f64] = &[
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0,
    3600.0, 21600.0, 86400.0,
];

/// What each counter counts, for its `# HELP` line. A counter not listed is described by
/// its name.
const COUNTERS: &[(&str, &str)] = &[
    ("onboard_sagas_created_total", "Sagas created, by kind."),
    (
        "onboard_transitions_total",
        "Committed saga transitions, by kind and the status after them.",
    ),
    (
        "onboard_party_calls_total",
        "Party-call attempts, by party, operation and outcome.",
    ),
    (
        "onboard_lease_takeovers_total",
        "Sagas this replica took over after a restart or from a replica whose lease lapsed.",
    ),
    (
        "onboard_leases_lost_total",
        "Lease renewals that found the lease held by another replica.",
    ),
];

/// A value read when `/metrics` is rendered, e.g. how many sagas hold an actor.
#[derive(Debug, Clone, Copy)]
pub struct Gauge<'a> {
    /// The metric's name; gauges of one name must be given together, with the same label
    /// names.
    pub name: &'a str,
    /// What it measures.
    pub help: &'a str,
    /// Its label pairs.
    pub labels: &'a [(&'a str, &'a str)],
    /// Its value now.
    pub value: f64,
}

/// The runtime's counters and histograms, in one registry per runtime (tests run several
/// in one process).
#[derive(Debug)]
pub struct Metrics {
    registry: prometheus::Registry,
    /// Counters by name, registered at their first increment.
    counters: RwLock<HashMap<&'static str, IntCounterVec>>,
    /// `onboard_party_call_duration_seconds{party,operation,outcome}`.
    party_calls: HistogramVec,
    /// `onboard_saga_duration_seconds{kind,end}`.
    sagas: HistogramVec,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let registry = prometheus::Registry::new();
        let party_calls = histogram(
            &registry,
            "onboard_party_call_duration_seconds",
            "How long a party took to answer one call attempt (the wait for a slot under the party's limits left out), by party, operation and outcome.",
            &["party", "operation", "outcome"],
            PARTY_CALL_BUCKETS,
        )
        .expect("a fixed, valid histogram registers once");
        let sagas = histogram(
            &registry,
            "onboard_saga_duration_seconds",
            "Time from a saga's creation to its final status, by kind and that status (end).",
            &["kind", "end"],
            SAGA_BUCKETS,
        )
        .expect("a fixed, valid histogram registers once");
        Metrics {
            registry,
            counters: RwLock::default(),
            party_calls,
            sagas,
        }
    }
}

impl Metrics {
    /// Adds one to the counter `name` with `labels`; the first increment of a name
    /// registers it with these label names, which every later one must repeat.
    pub fn inc(&self, name: &'static str, labels: &[(&'static str, &'static str)]) {
        self.add(name, labels, 1);
    }

    /// Adds `by` to the counter `name` with `labels` (see [`Metrics::inc`]).
    pub fn add(&self, name: &'static str, labels: &[(&'static str, &'static str)], by: u64) {
        let values: Vec<&str> = labels.iter().map(|(_, value)| *value).collect();
        let counted = self.with_counter(name, labels, |counter| {
            counter
                .get_metric_with_label_values(&values)
                .map(|series| series.inc_by(by))
        });
        if let Err(error) = counted {
            tracing::warn!(counter = name, %error, "counter not counted");
        }
    }

    /// Runs `count` on the counter `name`, registering it first if needed.
    fn with_counter<T>(
        &self,
        name: &'static str,
        labels: &[(&'static str, &'static str)],
        count: impl FnOnce(&IntCounterVec) -> prometheus::Result<T>,
    ) -> prometheus::Result<T> {
        {
            let counters = self.counters.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(counter) = counters.get(name) {
                return count(counter);
            }
        }
        let mut counters = self
            .counters
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(counter) = counters.get(name) {
            return count(counter);
        }
        let help = COUNTERS
            .iter()
            .find(|(known, _)| *known == name)
            .map_or(name, |(_, help)| help);
        let names: Vec<&str> = labels.iter().map(|(label, _)| *label).collect();
        let counter = IntCounterVec::new(Opts::new(name, help), &names)?;
        self.registry.register(Box::new(counter.clone()))?;
        let answer = count(&counter);
        counters.insert(name, counter);
        answer
    }

    /// Registers a histogram of another layer (the API's request durations) beside the
    /// runtime's, so that one `/metrics` renders them all.
    pub fn histogram(
        &self,
        name: &str,
        help: &str,
        labels: &[&str],
        buckets: &[f64],
    ) -> prometheus::Result<HistogramVec> {
        histogram(&self.registry, name, help, labels, buckets)
    }

    /// Observes one party-call attempt that took `took`.
    pub(crate) fn observe_party_call(
        &self,
        party: &str,
        operation: &str,
        outcome: &str,
        took: Duration,
    ) {
        self.party_calls
            .with_label_values(&[party, operation, outcome])
            .observe(took.as_secs_f64());
    }

    /// Observes a saga that reached the final status `end` `took` after its creation.
    pub(crate) fn observe_saga(&self, kind: &str, end: &str, took: Duration) {
        self.sagas
            .with_label_values(&[kind, end])
            .observe(took.as_secs_f64());
    }

    /// Every counter and histogram, plus the given gauges, in the Prometheus text format.
    pub fn render(&self, gauges: &[Gauge<'_>]) -> String {
        let mut families = self.registry.gather();
        families.extend(gauge_families(gauges));
        prometheus::TextEncoder::new()
            .encode_to_string(&families)
            .unwrap_or_else(|error| {
                tracing::error!(%error, "metrics not rendered");
                String::new()
            })
    }
}

/// A histogram with `buckets`, registered in `registry`.
fn histogram(
    registry: &prometheus::Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: &[f64],
) -> prometheus::Result<HistogramVec> {
    let opts = HistogramOpts::new(name, help).buckets(buckets.to_vec());
    let histogram = HistogramVec::new(opts, labels)?;
    registry.register(Box::new(histogram.clone()))?;
    Ok(histogram)
}

/// The gauges as metric families, one per run of gauges sharing a name.
fn gauge_families(gauges: &[Gauge<'_>]) -> Vec<MetricFamily> {
    let mut families = Vec::new();
    for run in gauges.chunk_by(|a, b| a.name == b.name) {
        let first = run[0];
        let names: Vec<&str> = first.labels.iter().map(|(label, _)| *label).collect();
        let family = GaugeVec::new(Opts::new(first.name, first.help), &names).and_then(|vec| {
            for gauge in run {
                let values: Vec<&str> = gauge.labels.iter().map(|(_, value)| *value).collect();
                vec.get_metric_with_label_values(&values)?.set(gauge.value);
            }
            Ok(vec.collect())
        });
        match family {
            Ok(family) => families.extend(family),
            Err(error) => tracing::warn!(gauge = first.name, %error, "gauge not rendered"),
        }
    }
    families
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_gauges_and_histograms_render_as_prometheus_text() {
        let metrics = Metrics::default();
        let labels = [("kind", "a"), ("status", "running")];
        metrics.inc("onboard_transitions_total", &labels);
        metrics.add("onboard_transitions_total", &labels, 2);
        metrics.observe_party_call("bank", "verify_card", "succeeded", Duration::from_millis(3));
        metrics.observe_saga("a", "completed", Duration::from_secs(2));
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
            Gauge {
                name: "onboard_party_calls_waiting",
                help: "Calls waiting",
                labels: &[("party", "wallet")],
                value: 0.0,
            },
        ]);
        assert!(text.contains("# TYPE onboard_transitions_total counter"));
        assert!(text.contains("onboard_transitions_total{kind=\"a\",status=\"running\"} 3"));
        assert!(text.contains("onboard_live_actors 3"));
        assert!(text.contains("onboard_party_calls_waiting{party=\"bank\"} 1"));
        assert!(text.contains("onboard_party_calls_waiting{party=\"wallet\"} 0"));
        assert_eq!(text.matches("# TYPE onboard_live_actors gauge").count(), 1);
        assert_eq!(
            text.matches("# TYPE onboard_party_calls_waiting gauge")
                .count(),
            1
        );
        assert!(text.contains("# TYPE onboard_party_call_duration_seconds histogram"));
        assert!(text.contains(
            "onboard_party_call_duration_seconds_bucket{operation=\"verify_card\",outcome=\"succeeded\",party=\"bank\",le=\"0.005\"} 1"
        ), "{text}");
        assert!(
            text.contains(
                "onboard_saga_duration_seconds_bucket{end=\"completed\",kind=\"a\",le=\"1\"} 0"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "onboard_saga_duration_seconds_bucket{end=\"completed\",kind=\"a\",le=\"2.5\"} 1"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_counter_repeated_with_other_label_names_is_left_alone() {
        let metrics = Metrics::default();
        metrics.inc("onboard_leases_lost_total", &[]);
        metrics.inc("onboard_leases_lost_total", &[("party", "bank")]);
        let text = metrics.render(&[]);
        assert!(text.contains("onboard_leases_lost_total 1"), "{text}");
        assert!(!text.contains("party=\"bank\""), "{text}");
    }
}
