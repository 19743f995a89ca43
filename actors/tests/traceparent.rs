//! Party calls carry the `traceparent` of the span they are made in, once spans are
//! exported, and nothing before: a party's own spans can then join the saga's trace.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use onboard_actors::parties::HttpParties;
use onboard_actors::traces;
use onboard_workflows::domain::PaymentAccountId;
use onboard_workflows::PartyCall;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Instrument;
use tracing_subscriber::layer::SubscriberExt as _;

/// The `traceparent` headers the party got, `None` for a request without one.
type Seen = Arc<Mutex<Vec<Option<String>>>>;

/// A party that notes each request's `traceparent` and answers 503 (the answer does not
/// matter here).
fn party(seen: Seen) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = HttpServer::new(move || {
        let seen = seen.clone();
        App::new().default_service(web::to(move |req: HttpRequest| {
            let header = req.headers().get(traces::TRACEPARENT);
            let header = header
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            seen.lock().unwrap().push(header);
            async { HttpResponse::ServiceUnavailable().finish() }
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    format!("http://{addr}")
}

#[actix_web::test]
async fn a_party_call_carries_its_spans_traceparent_only_while_spans_are_exported() {
    let provider = SdkTracerProvider::builder().build();
    let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("test"));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer)).unwrap();
    let seen = Seen::default();
    let parties = HttpParties::new(&party(seen.clone()), Duration::from_secs(3)).unwrap();
    let call = PartyCall::SecurityRule {
        payment_account_id: PaymentAccountId::parse("pa_1").unwrap(),
    };

    let before = tracing::info_span!("onboard.step");
    let _ = parties
        .call(&call, "wf_1:security_rule")
        .instrument(before)
        .await;
    traces::enable();
    let span = tracing::info_span!("onboard.step");
    let _ = parties
        .call(&call, "wf_1:security_rule")
        .instrument(span.clone())
        .await;

    let expected = traces::traceparent(&span).expect("an exported span has a traceparent");
    assert_eq!(*seen.lock().unwrap(), vec![None, Some(expected)]);
}
