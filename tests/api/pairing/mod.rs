//! End-to-end tests of proximity pairing codes (seed 002) through the real binary, on
//! real Redis and on the embedded store: codes unique among overlapping ranges under
//! concurrency, claims by distance, single use, expiry, the issuer's own code, the
//! lockout, ranges across a cell boundary, and bad input.

mod claims;
mod personal_data;
mod uniqueness;
mod validation;

use onboard_tests::{person, Reply, TestEnv, WALLET_KEY};
use reqwest::Method;
use serde_json::{json, Value};

/// The default radius of a code's range.
pub const RADIUS_M: f64 = 500.0;
/// The Earth's radius Redis GEO measures with, metres.
const EARTH_RADIUS_M: f64 = 6_372_797.560_856;

/// A place, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

impl Place {
    /// Central Shanghai.
    pub fn centre() -> Place {
        Place {
            lat: 31.2304,
            lon: 121.4737,
        }
    }

    /// The place `metres` north of this one.
    pub fn north(self, metres: f64) -> Place {
        Place {
            lat: self.lat + (metres / EARTH_RADIUS_M).to_degrees(),
            lon: self.lon,
        }
    }

    /// The place `metres` east of this one.
    pub fn east(self, metres: f64) -> Place {
        let degrees = (metres / (EARTH_RADIUS_M * self.lat.to_radians().cos())).to_degrees();
        Place {
            lat: self.lat,
            lon: self.lon + degrees,
        }
    }

    /// The great-circle distance to `other`, metres.
    pub fn distance_m(self, other: Place) -> f64 {
        let (a, b) = (self.lat.to_radians(), other.lat.to_radians());
        let h = ((b - a) / 2.0).sin().powi(2)
            + a.cos() * b.cos() * ((other.lon - self.lon).to_radians() / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * h.sqrt().asin()
    }

    /// As the API takes it.
    pub fn json(self) -> Value {
        json!({ "lat": self.lat, "lon": self.lon })
    }
}

/// A person the wallet knows, with an open account: (name, payment account id).
pub async fn wallet_user(env: &TestEnv) -> (String, String) {
    let someone = person();
    let account = env.sandbox.create_wallet_user(&someone).await;
    (someone.name, account)
}

/// `POST /v1/pairing-codes`.
pub async fn issue(env: &TestEnv, account: &str, at: Place, operation: &str) -> Reply {
    let body =
        json!({ "payment_account_id": account, "location": at.json(), "operation": operation });
    env.api
        .send(
            Method::POST,
            "/v1/pairing-codes",
            Some(WALLET_KEY),
            None,
            Some(&body),
        )
        .await
}

/// `POST /v1/pairing-codes`, expecting 201; the code.
pub async fn issued_code(env: &TestEnv, account: &str, at: Place) -> String {
    let reply = issue(env, account, at, "pay").await;
    reply.expect_status(201, "POST /v1/pairing-codes");
    reply.body["code"].as_str().expect("a code").to_owned()
}

/// `POST /v1/pairing-codes/claim`.
pub async fn claim(env: &TestEnv, code: &str, claimant: &str, at: Place) -> Reply {
    let body = json!({ "code": code, "payment_account_id": claimant, "location": at.json() });
    env.api
        .send(
            Method::POST,
            "/v1/pairing-codes/claim",
            Some(WALLET_KEY),
            None,
            Some(&body),
        )
        .await
}
