//! Where scenario P's codes are issued: a city square for throughput, a disc of 1 km for
//! density, spread reproducibly without a random-number crate.

use serde_json::{json, Value};

/// Where the throughput parts issue codes: a 20 km square over a city.
const CITY: (f64, f64) = (31.10, 121.30);
const CITY_SIDE_M: f64 = 20_000.0;
/// The centre of the density part, far from the city square so that only its own codes
/// count; codes are issued uniformly within `DENSITY_RADIUS_M` of it.
const DENSITY_CENTRE: (f64, f64) = (30.00, 120.00);
const DENSITY_RADIUS_M: f64 = 1_000.0;
/// Metres per degree of latitude, on the sphere Redis GEO uses.
const METRES_PER_DEGREE: f64 = 111_226.3;

/// A place as the API takes it.
pub fn place((lat, lon): (f64, f64)) -> Value {
    json!({ "lat": lat, "lon": lon })
}

/// `at` moved `north` and `east` metres.
pub fn offset((lat, lon): (f64, f64), north: f64, east: f64) -> (f64, f64) {
    let lat2 = lat + north / METRES_PER_DEGREE;
    (
        lat2,
        lon + east / (METRES_PER_DEGREE * lat.to_radians().cos()),
    )
}

/// A point of the city square, spread by `n`.
pub fn city_point(n: u64) -> (f64, f64) {
    let (u, v) = uniform_pair(n);
    offset(CITY, u * CITY_SIDE_M, v * CITY_SIDE_M)
}

/// A point uniformly within the density radius, spread by `n`.
pub fn disc_point(n: u64) -> (f64, f64) {
    let (u, v) = uniform_pair(n ^ 0x5bd1_e995);
    let (r, angle) = (DENSITY_RADIUS_M * u.sqrt(), v * std::f64::consts::TAU);
    offset(DENSITY_CENTRE, r * angle.cos(), r * angle.sin())
}

/// Two numbers in [0, 1) derived from `n` (splitmix64): reproducible, well spread.
fn uniform_pair(n: u64) -> (f64, f64) {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let (a, b) = (mix(n), mix(n.wrapping_add(0x1234_5678)));
    (
        (a >> 11) as f64 / (1u64 << 53) as f64,
        (b >> 11) as f64 / (1u64 << 53) as f64,
    )
}
