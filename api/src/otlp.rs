//! Span export over OTLP/HTTP with protobuf (or JSON) bodies, when an endpoint is configured
//! (`otel.endpoint`, or the standard `OTEL_EXPORTER_OTLP_ENDPOINT` and
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). Spans are batched and posted from the batch
//! processor's own thread (`OTEL_BSP_SCHEDULE_DELAY` and the other `OTEL_BSP_…` variables
//! apply); the spans still queued are exported when the process stops.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry::KeyValue;
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig};
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use tracing::Subscriber;
use tracing_subscriber::filter::{filter_fn, Filtered};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

/// The service name every span's resource carries.
const SERVICE_NAME: &str = "onboard";
/// The prefix of the names of the spans that are exported; other spans are logs' only.
const EXPORTED_SPANS: &str = "onboard.";
/// The protocols `OTEL_EXPORTER_OTLP_PROTOCOL` may name, the default first.
const PROTOCOLS: [(&str, Protocol); 2] = [
    ("http/protobuf", Protocol::HttpBinary),
    ("http/json", Protocol::HttpJson),
];
/// The variables naming an endpoint, signal-specific first.
const ENDPOINT_VARIABLES: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
];
/// The variables naming the protocol, signal-specific first.
const PROTOCOL_VARIABLES: [&str; 2] = [
    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
];

/// Why spans cannot be exported as asked.
#[derive(Debug, thiserror::Error)]
pub enum OtlpError {
    /// Only OTLP over HTTP (protobuf or JSON bodies) is built in.
    #[error("{variable}={protocol} is not supported: set it to http/protobuf or http/json and point the endpoint at the collector's OTLP/HTTP port (4318)")]
    Protocol {
        /// The variable that named it.
        variable: &'static str,
        /// What it named.
        protocol: String,
    },
    /// The exporter could not be built (e.g. the endpoint is not a URL).
    #[error("the OTLP span exporter cannot be built: {0}")]
    Build(#[from] opentelemetry_otlp::ExporterBuildError),
}

/// Where spans go: the endpoint the settings name, or the one the variables name.
#[derive(Debug, Clone)]
pub struct SpanExport {
    /// `otel.endpoint`: the collector's base URL; `None` leaves it to the variables.
    configured: Option<String>,
    /// This replica's name, the resource's `service.instance.id`.
    replica: String,
}

impl SpanExport {
    /// The export that `endpoint` (`otel.endpoint`) or the `OTEL_…` variables ask for;
    /// `None` when neither names an endpoint, or `OTEL_SDK_DISABLED` is `true`.
    pub fn asked(endpoint: &str, replica: &str) -> Option<SpanExport> {
        let disabled = std::env::var("OTEL_SDK_DISABLED")
            .is_ok_and(|value| value.trim().eq_ignore_ascii_case("true"));
        if disabled {
            return None;
        }
        let configured = Some(endpoint.trim()).filter(|url| !url.is_empty());
        let from_variables = ENDPOINT_VARIABLES
            .iter()
            .any(|name| std::env::var(name).is_ok_and(|url| !url.trim().is_empty()));
        (configured.is_some() || from_variables).then(|| SpanExport {
            configured: configured.map(str::to_owned),
            replica: replica.to_owned(),
        })
    }

    /// Builds the exporter and its batch processor.
    pub fn start(&self) -> Result<Exporter, OtlpError> {
        let mut builder = SpanExporter::builder()
            .with_http()
            .with_protocol(protocol()?);
        if let Some(base) = &self.configured {
            builder = builder.with_endpoint(format!("{}/v1/traces", base.trim_end_matches('/')));
        }
        let resource = Resource::builder()
            .with_service_name(SERVICE_NAME)
            .with_attribute(KeyValue::new("service.instance.id", self.replica.clone()))
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(builder.build()?)
            .with_resource(resource)
            .build();
        Ok(Exporter { provider })
    }
}

/// The protocol the variables name (`http/protobuf` when none does); a protocol that is
/// not built in is refused, rather than export nothing.
fn protocol() -> Result<Protocol, OtlpError> {
    for variable in PROTOCOL_VARIABLES {
        let Ok(named) = std::env::var(variable) else {
            continue;
        };
        if named.trim().is_empty() {
            continue;
        }
        return PROTOCOLS
            .iter()
            .find(|(name, _)| *name == named.trim())
            .map(|(_, protocol)| *protocol)
            .ok_or(OtlpError::Protocol {
                variable,
                protocol: named,
            });
    }
    Ok(PROTOCOLS[0].1)
}

/// The running exporter: the tracer provider behind the `tracing` layer.
#[derive(Debug)]
pub struct Exporter {
    provider: SdkTracerProvider,
}

impl Exporter {
    /// The `tracing` layer that turns the saga spans (`onboard.…`) into OpenTelemetry
    /// spans; events and other spans stay in the logs only.
    pub fn layer<S>(&self) -> Filtered<impl Layer<S>, impl tracing_subscriber::layer::Filter<S>, S>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        tracing_opentelemetry::layer()
            .with_tracer(self.provider.tracer(SERVICE_NAME))
            .with_tracked_inactivity(false)
            .with_threads(false)
            .with_location(false)
            .with_target(false)
            .with_filter(filter_fn(|meta| {
                meta.is_span() && meta.name().starts_with(EXPORTED_SPANS)
            }))
    }

    /// Exports the spans still queued and stops the batch processor.
    pub fn shutdown(&self) {
        if let Err(error) = self.provider.shutdown() {
            tracing::warn!(%error, "spans not all exported at shutdown");
        }
    }
}
