//! The rate limit per client address of the keyless endpoints (accounts and tickets):
//! they take a username and password instead of a bearer key, so the per-caller limit
//! cannot apply, and without a limit one address could spray guesses over the whole user
//! base (the per-username lockout stops guessing one account, not trying one password on
//! every account).
//!
//! The address is the TCP peer's, never a forwarded-for header a client could write.

use std::future::{ready, Ready};
use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use onboard_config::TicketSettings;

use crate::problem::ApiError;

/// Admissions between two sweeps of the addresses whose state is back to full: the
/// limiter keeps one entry per address seen, which would otherwise only grow.
const SWEEP_EVERY: u64 = 4096;

/// One token bucket per client address.
pub struct AddressLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    admitted: AtomicU64,
}

impl AddressLimiter {
    /// The limiter of `tickets.address_per_second` with `tickets.address_burst`.
    pub fn new(settings: &TicketSettings) -> AddressLimiter {
        let per_second = NonZeroU32::new(settings.address_per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.address_burst).unwrap_or(per_second);
        AddressLimiter {
            limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
            admitted: AtomicU64::new(0),
        }
    }

    /// Admits one request from `address` or tells when to come back.
    fn admit(&self, address: IpAddr) -> Result<(), ApiError> {
        if self.admitted.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&address).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

/// A request its client address may send now. Listed first among a handler's arguments,
/// it refuses (429 `rate_limited` with `Retry-After`) before the body is read.
pub struct AddressAdmitted;

impl FromRequest for AddressAdmitted {
    type Error = ApiError;
    type Future = Ready<Result<AddressAdmitted, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let admitted = req
            .app_data::<web::Data<AddressLimiter>>()
            .ok_or(ApiError::Unavailable)
            .and_then(|limiter| {
                // A request without a peer (only in unit tests) shares one bucket.
                let address = req
                    .peer_addr()
                    .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |peer| peer.ip());
                limiter.admit(address)
            })
            .map(|()| AddressAdmitted);
        ready(admitted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_second: u32, burst: u32) -> AddressLimiter {
        AddressLimiter::new(&TicketSettings {
            authorization_ttl_secs: 1,
            refresh_ttl_secs: 1,
            lockout_base_secs: 1,
            address_per_second: per_second,
            address_burst: burst,
        })
    }

    #[test]
    fn each_address_has_its_own_burst() {
        let limiter = limiter(1, 3);
        let one = IpAddr::from([192, 0, 2, 1]);
        let two = IpAddr::from([192, 0, 2, 2]);
        for _ in 0..3 {
            assert!(limiter.admit(one).is_ok());
        }
        match limiter.admit(one) {
            Err(ApiError::RateLimited { retry_after_secs }) => assert!(retry_after_secs >= 1),
            other => panic!("{other:?}"),
        }
        assert!(limiter.admit(two).is_ok());
    }
}
