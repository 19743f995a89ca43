//! The grid that partitions the pairing index: cells of 0.05° (about 5.5 km north to
//! south, less east to west away from the equator). A search for codes within a distance
//! of a point reads every cell that distance can reach, so that a range crossing a cell
//! boundary is found from both sides.

use onboard_workflows::domain::{GeoPoint, EARTH_RADIUS_M};

/// The side of a cell, degrees.
const CELL_DEG: f64 = 0.05;
/// Columns around the globe.
const COLUMNS: i64 = 7_200;
/// The latitude past which longitudes are not narrowed any further (cos → 0).
const POLAR_LIMIT_DEG: f64 = 89.0;

/// A cell's name, `row:column`, as the stores key it.
pub(crate) fn cell_of(point: &GeoPoint) -> String {
    name(row(point.lat()), column(point.lon()))
}

/// Every cell holding a point within `distance_m` of `point` (great-circle), the point's
/// own cell first, without repeats.
pub(crate) fn cells_within(point: &GeoPoint, distance_m: f64) -> Vec<String> {
    let dlat = (distance_m / EARTH_RADIUS_M).to_degrees();
    let (south, north) = (
        (point.lat() - dlat).max(-90.0),
        (point.lat() + dlat).min(90.0),
    );
    let widest = south.abs().max(north.abs()).min(POLAR_LIMIT_DEG);
    let dlon = (dlat / widest.to_radians().cos()).min(180.0);
    let (west, east) = (
        column_index(point.lon() - dlon),
        column_index(point.lon() + dlon),
    );
    let mut cells = vec![cell_of(point)];
    for r in row(south)..=row(north) {
        for c in west..=east.min(west + COLUMNS - 1) {
            let cell = name(r, c.rem_euclid(COLUMNS));
            if !cells.contains(&cell) {
                cells.push(cell);
            }
        }
    }
    cells
}

fn row(lat: f64) -> i64 {
    ((lat + 90.0) / CELL_DEG).floor() as i64
}

fn column_index(lon: f64) -> i64 {
    ((lon + 180.0) / CELL_DEG).floor() as i64
}

fn column(lon: f64) -> i64 {
    column_index(lon).rem_euclid(COLUMNS)
}

fn name(row: i64, column: i64) -> String {
    format!("{row}:{column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::parse(lat, lon).unwrap()
    }

    #[test]
    fn a_search_inside_a_cell_reads_that_cell_only() {
        assert_eq!(cells_within(&at(31.225, 121.475), 1_000.0), ["2424:6029"]);
    }

    #[test]
    fn a_search_across_a_boundary_reads_both_sides() {
        let west = at(31.225, 121.4499);
        let east = at(31.225, 121.4501);
        assert_ne!(cell_of(&west), cell_of(&east));
        for point in [west, east] {
            let cells = cells_within(&point, 1_000.0);
            assert!(cells.contains(&cell_of(&west)) && cells.contains(&cell_of(&east)));
        }
    }

    #[test]
    fn longitudes_wrap_around_the_antimeridian_and_narrow_toward_the_poles() {
        let cells = cells_within(&at(0.0, 179.999), 1_000.0);
        assert!(cells.iter().any(|cell| cell.ends_with(":0")), "{cells:?}");
        let polar = cells_within(&at(85.0, 0.0), 1_000.0);
        assert!(polar.len() >= 3, "{polar:?}");
    }

    #[test]
    fn every_point_within_the_distance_lies_in_a_listed_cell() {
        let centre = at(60.01, 10.049);
        let cells = cells_within(&centre, 1_000.0);
        for step in 0..360 {
            let bearing = f64::from(step).to_radians();
            let (dlat, dlon) = (
                0.0089 * bearing.cos(),
                0.0089 * bearing.sin() / centre.lat().to_radians().cos(),
            );
            let point = at(centre.lat() + dlat, centre.lon() + dlon);
            assert!(centre.distance_m(&point) <= 1_000.0);
            assert!(cells.contains(&cell_of(&point)), "{point:?} {cells:?}");
        }
    }
}
