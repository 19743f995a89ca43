//! The W3C `traceparent` a caller sends on a request that creates a saga: the saga's root
//! span becomes a child of the caller's span, so the caller's trace shows the saga.

use actix_web::HttpRequest;
use onboard_actors::traces;

/// The caller's `traceparent`, while spans are exported (otherwise it is not read). A
/// header sent twice names no parent; a malformed one is ignored by the runtime, which
/// then starts a fresh trace, as W3C Trace Context asks.
pub fn of(req: &HttpRequest) -> Option<&str> {
    if !traces::exporting() {
        return None;
    }
    let mut values = req.headers().get_all(traces::TRACEPARENT);
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    value.to_str().ok()
}
