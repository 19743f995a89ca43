//! An OTLP/HTTP receiver on loopback, standing in for an OpenTelemetry collector: it
//! accepts `POST /v1/traces` with protobuf or JSON bodies, decodes them with `opentelemetry-proto`
//! and keeps every span it was sent, for the tests to inspect the span trees.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value as AnyValue;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use prost::Message;

/// The largest export body accepted; a batch of a few hundred spans is far smaller.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// One span as the receiver got it, with ids in lower-case hex.
#[derive(Debug, Clone)]
pub struct ReceivedSpan {
    /// The span's name, e.g. `onboard.step`.
    pub name: String,
    /// The trace id (32 hex digits).
    pub trace_id: String,
    /// The span id (16 hex digits).
    pub span_id: String,
    /// The parent's span id; empty for a root.
    pub parent_span_id: String,
    /// The span's attributes, values rendered as text.
    pub attributes: BTreeMap<String, String>,
    /// The resource's attributes (`service.name`, `service.instance.id` …).
    pub resource: BTreeMap<String, String>,
}

impl ReceivedSpan {
    /// The attribute `key`, if the span has it.
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }
}

type Received = Arc<Mutex<Vec<ReceivedSpan>>>;

/// A running receiver; stopped on drop.
#[derive(Debug)]
pub struct OtlpReceiver {
    port: u16,
    spans: Received,
    server: ServerHandle,
}

impl OtlpReceiver {
    /// Starts the receiver on a loopback port of its own, in a thread with its own actix
    /// system.
    pub fn start() -> OtlpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the OTLP receiver");
        let port = listener.local_addr().expect("receiver address").port();
        let spans = Received::default();
        let kept = spans.clone();
        let (handle_tx, handle_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(web::PayloadConfig::new(BODY_LIMIT))
                        .app_data(web::Data::new(kept.clone()))
                        .route("/v1/traces", web::post().to(receive))
                })
                .workers(1)
                .disable_signals()
                .listen(listener)
                .expect("serve the OTLP receiver")
                .run();
                handle_tx
                    .send(server.handle())
                    .expect("hand the server over");
                let _ = server.await;
            });
        });
        let server = handle_rx.recv().expect("the OTLP receiver started");
        OtlpReceiver {
            port,
            spans,
            server,
        }
    }

    /// The base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every span received so far.
    pub fn spans(&self) -> Vec<ReceivedSpan> {
        self.spans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits up to `timeout` until the spans received satisfy `done`, and answers them;
    /// panics with what was received otherwise.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&[ReceivedSpan]) -> bool,
    ) -> Vec<ReceivedSpan> {
        let deadline = Instant::now() + timeout;
        loop {
            let spans = self.spans();
            if done(&spans) {
                return spans;
            }
            if Instant::now() > deadline {
                panic!("no {what} within {timeout:?}; received: {spans:#?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for OtlpReceiver {
    fn drop(&mut self) {
        drop(self.server.stop(false));
    }
}

/// `POST /v1/traces`: keeps the spans and answers an empty export response, in the
/// request's encoding (JSON when its `Content-Type` says so, else protobuf).
async fn receive(req: HttpRequest, body: web::Bytes, spans: web::Data<Received>) -> HttpResponse {
    let json = req
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let decoded = match json {
        true => {
            serde_json::from_slice::<ExportTraceServiceRequest>(&body).map_err(|e| e.to_string())
        }
        false => ExportTraceServiceRequest::decode(body).map_err(|e| e.to_string()),
    };
    let request = match decoded {
        Ok(request) => request,
        Err(error) => return HttpResponse::BadRequest().body(error),
    };
    let mut kept = spans.lock().unwrap_or_else(PoisonError::into_inner);
    for resource_spans in request.resource_spans {
        let resource = resource_spans
            .resource
            .map(|resource| attributes(resource.attributes))
            .unwrap_or_default();
        for span in resource_spans
            .scope_spans
            .into_iter()
            .flat_map(|scope| scope.spans)
        {
            kept.push(ReceivedSpan {
                name: span.name,
                trace_id: hex(&span.trace_id),
                span_id: hex(&span.span_id),
                parent_span_id: hex(&span.parent_span_id),
                attributes: attributes(span.attributes),
                resource: resource.clone(),
            });
        }
    }
    let answer = ExportTraceServiceResponse::default();
    match json {
        true => HttpResponse::Ok().json(answer),
        false => HttpResponse::Ok()
            .content_type("application/x-protobuf")
            .body(answer.encode_to_vec()),
    }
}

fn attributes(pairs: Vec<KeyValue>) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|pair| {
            let value = match pair.value.and_then(|value| value.value) {
                Some(AnyValue::StringValue(text)) => text,
                Some(AnyValue::IntValue(number)) => number.to_string(),
                Some(AnyValue::BoolValue(flag)) => flag.to_string(),
                Some(AnyValue::DoubleValue(number)) => number.to_string(),
                Some(other) => format!("{other:?}"),
                None => String::new(),
            };
            (pair.key, value)
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
