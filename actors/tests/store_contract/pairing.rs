//! The pairing store's contract: codes unique among overlapping ranges, claims that find a
//! live code of another account in range exactly once, replacement, expiry, and ranges
//! that cross a cell boundary.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use onboard_actors::store::{Claimed, CodeClaim, CodeIssue, Issued, PairingStore};
use onboard_workflows::domain::{GeoPoint, PairingCode};

/// A fresh, empty pairing store of either backend.
type Codes = Arc<dyn PairingStore>;

const RADIUS_M: u32 = 500;
/// The wallet whose accounts the cases use.
const SCOPE: &str = "wallet-1";
/// About one metre of latitude, in degrees.
const METRE: f64 = 1.0 / 111_195.0;

pub fn at(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::parse(lat, lon).expect("a valid point")
}

/// `metres` north of `point`.
pub fn north(point: GeoPoint, metres: f64) -> GeoPoint {
    at(point.lat() + metres * METRE, point.lon())
}

fn centre() -> GeoPoint {
    at(31.2304, 121.4737)
}

pub async fn issue(store: &Codes, account: &str, point: GeoPoint, ttl_ms: u64) -> PairingCode {
    issue_seeded(store, account, point, ttl_ms, rand::random()).await
}

/// Issues with a chosen seed: issues with one seed all try the same codes first, so they
/// meet every conflict there is.
async fn issue_seeded(
    store: &Codes,
    account: &str,
    point: GeoPoint,
    ttl_ms: u64,
    seed: u64,
) -> PairingCode {
    let record = format!("record of {account}");
    let issued = store
        .issue_code(&CodeIssue {
            scope: SCOPE,
            account,
            at: point,
            radius_m: RADIUS_M,
            ttl_ms,
            record: record.as_bytes(),
            seed,
        })
        .await
        .expect("issue");
    match issued {
        Issued::Code { code, .. } => code,
        Issued::Exhausted => panic!("codes exhausted"),
    }
}

pub async fn claim(store: &Codes, code: PairingCode, claimant: &str, point: GeoPoint) -> Claimed {
    claim_in(store, SCOPE, code, claimant, point).await
}

async fn claim_in(
    store: &Codes,
    scope: &str,
    code: PairingCode,
    claimant: &str,
    point: GeoPoint,
) -> Claimed {
    store
        .claim_code(&CodeClaim {
            scope,
            code,
            claimant,
            at: point,
            radius_m: RADIUS_M,
        })
        .await
        .expect("claim")
}

fn other(code: PairingCode) -> PairingCode {
    PairingCode::from_number((code.number() + 1) % 1_000_000).expect("a code")
}

pub async fn codes_differ_among_overlapping_ranges(store: Codes) {
    let mut codes = HashSet::new();
    for n in 0..60 {
        let point = at(
            centre().lat() + f64::from(n % 8) * 100.0 * METRE,
            centre().lon() + f64::from(n / 8) * 0.001,
        );
        assert!(codes.insert(issue(&store, &format!("pa_{n}"), point, 60_000).await));
    }
}

pub async fn codes_with_one_seed_at_one_place_still_differ(store: Codes) {
    // More than the quick tries by number, so the full search decides the last ones.
    let mut codes = HashSet::new();
    for n in 0..40 {
        let code = issue_seeded(&store, &format!("pa_{n}"), centre(), 60_000, 7).await;
        assert!(codes.insert(code), "issue {n} repeated a live code");
    }
    // Ranges that do not overlap may share: the first code tried is free 5 km away.
    let far = issue_seeded(&store, "pa_far", north(centre(), 5_000.0), 60_000, 7).await;
    assert!(codes.contains(&far));
}

pub async fn concurrent_issues_a_few_metres_apart_never_share_a_code(store: Codes) {
    // One seed for all: every issue tries the same codes first, so only atomic
    // allocation keeps them apart.
    let tasks: Vec<_> = (0..32)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let point = north(centre(), f64::from(n) * 0.3);
                issue_seeded(&store, &format!("pa_{n}"), point, 60_000, 42).await
            })
        })
        .collect();
    let mut codes = HashSet::new();
    for task in tasks {
        assert!(codes.insert(task.await.expect("task")));
    }
}

pub async fn a_claim_in_range_gets_the_record_once(store: Codes) {
    let code = issue(&store, "pa_issuer", centre(), 60_000).await;
    assert_eq!(
        claim(&store, code, "pa_claimant", north(centre(), 100.0)).await,
        Claimed::Record(b"record of pa_issuer".to_vec())
    );
    assert_eq!(
        claim(&store, code, "pa_claimant", north(centre(), 100.0)).await,
        Claimed::NotFound
    );
}

pub async fn far_wrong_and_own_claims_find_nothing_and_consume_nothing(store: Codes) {
    let code = issue(&store, "pa_issuer", centre(), 60_000).await;
    for (code, claimant, point) in [
        (code, "pa_claimant", north(centre(), 1_500.0)),
        (other(code), "pa_claimant", north(centre(), 100.0)),
        (code, "pa_issuer", centre()),
    ] {
        assert_eq!(
            claim(&store, code, claimant, point).await,
            Claimed::NotFound
        );
    }
    // Another wallet's user, with the right code in range, finds nothing either.
    assert_eq!(
        claim_in(&store, "wallet-2", code, "pa_claimant", centre()).await,
        Claimed::NotFound
    );
    assert!(matches!(
        claim(&store, code, "pa_claimant", north(centre(), 499.0)).await,
        Claimed::Record(_)
    ));
}

pub async fn a_new_code_replaces_the_accounts_live_one(store: Codes) {
    let first = issue(&store, "pa_issuer", centre(), 60_000).await;
    let second = issue(&store, "pa_issuer", north(centre(), 2_000.0), 60_000).await;
    if first != second {
        assert_eq!(
            claim(&store, first, "pa_claimant", centre()).await,
            Claimed::NotFound
        );
    }
    assert!(matches!(
        claim(&store, second, "pa_claimant", north(centre(), 2_000.0)).await,
        Claimed::Record(_)
    ));
}

pub async fn expired_codes_cannot_be_claimed(store: Codes) {
    let code = issue(&store, "pa_issuer", centre(), 50).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert_eq!(
        claim(&store, code, "pa_claimant", centre()).await,
        Claimed::NotFound
    );
}

pub async fn a_range_across_a_cell_boundary_is_found_from_both_sides(store: Codes) {
    // 121.45° E is a cell boundary of the grid.
    let west = at(31.2304, 121.4499);
    let east = at(31.2304, 121.4501);
    let code = issue(&store, "pa_west", west, 60_000).await;
    assert!(matches!(
        claim(&store, code, "pa_east", at(31.2304, 121.4540)).await,
        Claimed::Record(_)
    ));
    let code = issue(&store, "pa_east", east, 60_000).await;
    assert!(matches!(
        claim(&store, code, "pa_west", at(31.2304, 121.4460)).await,
        Claimed::Record(_)
    ));
    // Two live codes either side of the boundary, 40 m apart, differ.
    let a = issue(&store, "pa_a", west, 60_000).await;
    let b = issue(&store, "pa_b", at(31.2304, 121.4503), 60_000).await;
    assert_ne!(a, b);
}
