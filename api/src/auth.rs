//! Bearer-key authentication, roles, and the per-caller rate limit.

use std::collections::HashMap;
use std::future::{ready, Ready};
use std::marker::PhantomData;
use std::num::NonZeroU32;
use std::ops::Deref;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::{HeaderMap, AUTHORIZATION};
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

/// Any authenticated caller, whatever its role: for endpoints every role may use.
impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// A role as a type, so that a handler names the role it serves in its signature.
pub trait RequiredRole {
    /// The role a caller must hold.
    const ROLE: Role;
}

/// The roles handlers require, as types for [`Authorized`].
pub mod roles {
    use super::{RequiredRole, Role};

    /// [`Role::Bank`].
    pub struct Bank;
    /// [`Role::Wallet`].
    pub struct Wallet;
    /// [`Role::Operator`].
    pub struct Operator;
    /// [`Role::App`].
    pub struct App;
    /// [`Role::Merchant`].
    pub struct Merchant;

    impl RequiredRole for Bank {
        const ROLE: Role = Role::Bank;
    }
    impl RequiredRole for Wallet {
        const ROLE: Role = Role::Wallet;
    }
    impl RequiredRole for Operator {
        const ROLE: Role = Role::Operator;
    }
    impl RequiredRole for App {
        const ROLE: Role = Role::App;
    }
    impl RequiredRole for Merchant {
        const ROLE: Role = Role::Merchant;
    }
}

/// A caller holding role `R`, checked while the handler's arguments are extracted. Listed
/// first among them, it answers 401 or 403 before any query, path or body is validated,
/// so a caller of the wrong role learns nothing about the endpoint's parameters.
pub struct Authorized<R> {
    caller: Caller,
    role: PhantomData<R>,
}

impl<R> Deref for Authorized<R> {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl<R: RequiredRole> FromRequest for Authorized<R> {
    type Error = ApiError;
    type Future = Ready<Result<Authorized<R>, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|caller| {
            caller.require(R::ROLE)?;
            Ok(Authorized {
                caller,
                role: PhantomData,
            })
        }))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Caller, ApiError> {
    let callers = req
        .app_data::<web::Data<Callers>>()
        .ok_or(ApiError::Unavailable)?;
    let key = bearer_key(req.headers())?;
    let caller = callers
        .identify(key)
        .ok_or(ApiError::Unauthenticated)?
        .clone();
    callers.admit(&caller)?;
    Ok(caller)
}

/// The key of `Authorization: Bearer <key>`. The scheme is case-insensitive (RFC 9110
/// §11.1); a second `Authorization` header is refused rather than one of them chosen.
fn bearer_key(headers: &HeaderMap) -> Result<&str, ApiError> {
    let mut values = headers.get_all(AUTHORIZATION);
    let value = values.next().ok_or(ApiError::Unauthenticated)?;
    if values.next().is_some() {
        return Err(ApiError::field(
            "Authorization",
            "Authorization: must be sent once",
        ));
    }
    let (scheme, key) = value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .ok_or(ApiError::Unauthenticated)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::Unauthenticated);
    }
    Ok(key.trim())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn key_of(values: &[&str]) -> Result<String, ApiError> {
        let mut request = TestRequest::default();
        for value in values {
            request = request.append_header((AUTHORIZATION, *value));
        }
        bearer_key(request.to_http_request().headers()).map(str::to_owned)
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for value in ["Bearer k1", "bearer k1", "BEARER k1", "bEaReR   k1 "] {
            assert_eq!(key_of(&[value]).unwrap(), "k1", "{value:?}");
        }
    }

    #[test]
    fn other_schemes_and_no_header_are_unauthenticated() {
        for values in [&[][..], &["Basic k1"], &["Bearer"], &["Bearerk1"], &["k1"]] {
            assert!(
                matches!(key_of(values), Err(ApiError::Unauthenticated)),
                "{values:?}"
            );
        }
    }

    #[test]
    fn a_second_authorization_header_names_the_header() {
        match key_of(&["Bearer k1", "Bearer k2"]) {
            Err(ApiError::Validation { field, .. }) => {
                assert_eq!(field.as_deref(), Some("Authorization"))
            }
            other => panic!("{other:?}"),
        }
    }
}
