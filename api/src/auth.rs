//! Bearer-key authentication, roles, and the per-caller rate limit.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use onboard_config::{CallerSettings, RateLimitSettings};
use sha2::{Digest, Sha256};

use crate::problem::ApiError;

/// What a caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A bank app's server: starts onboardings.
    Bank,
    /// A payment app's server: security prompts, credit applications.
    Wallet,
    /// A merchant.
    Merchant,
    /// A resource server verifying tickets.
    App,
    /// An operator.
    Operator,
}

impl Role {
    fn parse(raw: &str) -> Option<Role> {
        Some(match raw {
            "bank" => Role::Bank,
            "wallet" => Role::Wallet,
            "merchant" => Role::Merchant,
            "app" => Role::App,
            "operator" => Role::Operator,
            _ => return None,
        })
    }
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Stable id; owns what it creates.
    pub id: Arc<str>,
    /// What it may do.
    pub role: Role,
}

impl Caller {
    /// Refuses with 403 unless the caller has `role`.
    pub fn require(&self, role: Role) -> Result<&Caller, ApiError> {
        if self.role == role {
            Ok(self)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// The known callers by the SHA-256 of their keys, and their rate limiter.
pub struct Callers {
    by_key_hash: HashMap<[u8; 32], Caller>,
    limiter: DefaultKeyedRateLimiter<Arc<str>>,
}

impl Callers {
    /// The registry from configuration; a caller with an unknown role is refused.
    pub fn new(callers: &[CallerSettings], limits: &RateLimitSettings) -> anyhow::Result<Callers> {
        let mut by_key_hash = HashMap::new();
        for caller in callers {
            let role = Role::parse(&caller.role).ok_or_else(|| {
                anyhow::anyhow!("caller {} has unknown role {}", caller.id, caller.role)
            })?;
            let mut hash = [0u8; 32];
            hex::decode_to_slice(&caller.key_sha256, &mut hash)?;
            by_key_hash.insert(
                hash,
                Caller {
                    id: Arc::from(caller.id.as_str()),
                    role,
                },
            );
        }
        let per_second = NonZeroU32::new(limits.per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(limits.burst).unwrap_or(per_second);
        Ok(Callers {
            by_key_hash,
            limiter: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
        })
    }

    /// The caller presenting `key`, if any.
    fn identify(&self, key: &str) -> Option<&Caller> {
        let hash: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        self.by_key_hash.get(&hash)
    }

    /// Admits one request of `caller` or tells when to come back.
    fn admit(&self, caller: &Caller) -> Result<(), ApiError> {
        self.limiter.check_key(&caller.id).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let callers = req
        .app_data::<web::Data<Callers>>()
        .ok_or(ApiError::Unavailable)?;
    let key = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthenticated)?;
    let caller = callers
        .identify(key.trim())
        .ok_or(ApiError::Unauthenticated)?
        .clone();
    callers.admit(&caller)?;
    Ok(caller)
}
