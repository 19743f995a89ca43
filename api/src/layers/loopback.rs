//! The sandbox is for this machine only: it takes no key, shows its simulated people's
//! personal data and injects faults, so a peer from elsewhere must not find it.

use std::net::IpAddr;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::ResponseError;

use crate::problem::ApiError;

/// Answers 404 `not_found` (as for a path that does not exist) unless the TCP peer is a
/// loopback address: 127.0.0.0/8, ::1, or either mapped into IPv6. The peer is the
/// socket's, never a forwarding header, which any client can write.
pub async fn loopback_only(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    if !req.peer_addr().is_some_and(|peer| is_loopback(peer.ip())) {
        return Ok(req
            .into_response(ApiError::NotFound.error_response())
            .map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses_of_both_families_are_recognised() {
        for ip in ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "10.0.0.1",
            "0.0.0.0",
            "::",
            "::ffff:10.0.0.1",
            "fe80::1",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(ip.parse().unwrap()), "{ip}");
        }
    }
}
