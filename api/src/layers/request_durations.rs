//! `onboard_http_request_duration_seconds{route,status}`: how long each request took, by
//! its route pattern (e.g. `/v1/onboardings/{id}`, never the concrete path, which may carry
//! ids) and the status answered. A path no route matches counts as `unmatched`, so that
//! scanners cannot grow the label set.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus::HistogramVec;

use crate::app::RoutePattern;

/// The metric's name.
const NAME: &str = "onboard_http_request_duration_seconds";
/// Upper bounds (seconds): most answers take about a millisecond; `?wait=` reads and
/// supplied savings cards are held for up to tens of seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
    60.0,
];
/// The route label of a request no route matched (the logs say `<unmatched>`).
const UNMATCHED: &str = "unmatched";

/// The histogram, shared by the app's workers as app data.
#[derive(Debug, Clone)]
pub struct RequestDurations(HistogramVec);

impl RequestDurations {
    /// Registers the histogram in the runtime's metrics, which `/metrics` renders.
    pub fn register(
        metrics: &onboard_actors::runtime::Metrics,
    ) -> prometheus::Result<RequestDurations> {
        let help = "How long the API took to answer a request, by route pattern and status.";
        metrics
            .histogram(NAME, help, &["route", "status"], BUCKETS)
            .map(RequestDurations)
    }
}

/// Times each request of an app that has [`RequestDurations`] as app data; the access
/// log, wrapped outside, has already matched the route pattern.
pub async fn time_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(durations) = req.app_data::<web::Data<RequestDurations>>().cloned() else {
        return next.call(req).await;
    };
    let started = Instant::now();
    let route = RoutePattern::of(&req).0;
    let route = if &*route == RoutePattern::UNMATCHED {
        UNMATCHED
    } else {
        &route
    };
    let response = next.call(req).await;
    let status = match &response {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    durations
        .0
        .with_label_values(&[route, status.as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}
