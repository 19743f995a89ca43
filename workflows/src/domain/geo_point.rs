//! A place on Earth as a client reports it: where a pairing code is issued or claimed.

use super::ParseError;
use std::fmt;

/// The largest latitude Redis GEO (Web Mercator) can index.
pub const MAX_LATITUDE: f64 = 85.051_128_78;
/// The largest longitude.
pub const MAX_LONGITUDE: f64 = 180.0;
/// The Earth's radius Redis GEO uses for its great-circle distances, in metres, so that
/// both store backends measure alike.
pub const EARTH_RADIUS_M: f64 = 6_372_797.560_856;

/// A latitude within ±85.05112878 and a longitude within ±180, both finite. A person's
/// position is personal data: `Debug` and `Display` show it rounded to about 10 km.
#[derive(Clone, Copy, PartialEq)]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    /// Parses a position; the error names `location.lat` or `location.lon`.
    pub fn parse(lat: f64, lon: f64) -> Result<GeoPoint, ParseError> {
        if !lat.is_finite() || lat.abs() > MAX_LATITUDE {
            return Err(ParseError::new(
                "location.lat",
                "must be a number within ±85.05112878",
            ));
        }
        if !lon.is_finite() || lon.abs() > MAX_LONGITUDE {
            return Err(ParseError::new(
                "location.lon",
                "must be a number within ±180",
            ));
        }
        Ok(GeoPoint { lat, lon })
    }

    /// Latitude, degrees.
    pub fn lat(&self) -> f64 {
        self.lat
    }

    /// Longitude, degrees.
    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// The great-circle (haversine) distance to `other`, in metres.
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let half_dlat = (lat2 - lat1) / 2.0;
        let half_dlon = (other.lon - self.lon).to_radians() / 2.0;
        let a = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

impl fmt::Debug for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GeoPoint({self})")
    }
}

impl fmt::Display for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1},{:.1}", self.lat, self.lon)
    }
}

#[cfg(test)]
mod tests {
    use super::GeoPoint;

    #[test]
    fn refuses_out_of_range_and_non_finite_values_naming_the_field() {
        for (lat, lon, field) in [
            (85.06, 0.0, "location.lat"),
            (-85.06, 0.0, "location.lat"),
            (f64::NAN, 0.0, "location.lat"),
            (f64::INFINITY, 0.0, "location.lat"),
            (0.0, 180.000_1, "location.lon"),
            (0.0, f64::NAN, "location.lon"),
            (0.0, f64::NEG_INFINITY, "location.lon"),
        ] {
            assert_eq!(GeoPoint::parse(lat, lon).unwrap_err().field, field);
        }
        assert!(GeoPoint::parse(85.051_128_78, -180.0).is_ok());
    }

    #[test]
    fn measures_great_circle_distances() {
        let a = GeoPoint::parse(31.2304, 121.4737).unwrap();
        let b = GeoPoint::parse(31.2304 + 0.009, 121.4737).unwrap();
        let d = a.distance_m(&b);
        assert!((d - 1_000.0).abs() < 5.0, "{d}");
        assert_eq!(a.distance_m(&a), 0.0);
        let east = GeoPoint::parse(0.0, 179.9999).unwrap();
        let west = GeoPoint::parse(0.0, -179.9999).unwrap();
        assert!(east.distance_m(&west) < 30.0);
    }

    #[test]
    fn shows_only_a_coarse_position() {
        let a = GeoPoint::parse(31.23456, 121.47371).unwrap();
        assert_eq!(format!("{a:?}"), "GeoPoint(31.2,121.5)");
    }
}
