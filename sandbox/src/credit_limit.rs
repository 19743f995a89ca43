//! The bank's rule for the limit of a new credit account, derived from the
//! usage history the wallet passes on. Deterministic, in integer arithmetic.

use crate::history::History;

/// Every credit account starts from 500.00.
const BASE_CENTS: u64 = 50_000;
/// Each month of activity adds 100.00 …
const PER_MONTH_CENTS: u64 = 10_000;
/// … for at most this many months.
const MAX_MONTHS: u64 = 24;
/// 10% of the payment volume is added, but at most 20,000.00 (reached at a
/// volume of 200,000.00).
const MAX_VOLUME_SHARE_CENTS: u64 = 2_000_000;
/// No limit exceeds 50,000.00.
const MAX_LIMIT_CENTS: u64 = 5_000_000;

/// The credit limit, in cents, for a person with this history:
///
/// 1. sum = 500.00
///    + 100.00 × min(months_active, 24)
///    + min(10% of payment_volume, 20,000.00);
/// 2. times a factor set by payment_count: 1.0 from 12 payments on, 0.5 below
///    3 payments, 0.8 in between;
/// 3. rounded down to whole yuan;
/// 4. capped at 50,000.00.
///
/// A history of all zeros gets 250.00. With the caps of step 1 the highest
/// limit reachable is 22,900.00, so the cap of step 4 is only a safety net.
pub(crate) fn credit_limit_cents(history: &History) -> u64 {
    let months = u64::from(history.months_active).min(MAX_MONTHS);
    // In tenths of a cent, 10% of the volume is the volume in cents: exact.
    let sum_tenth_cents = (BASE_CENTS + PER_MONTH_CENTS * months) * 10
        + history.volume_cents().min(MAX_VOLUME_SHARE_CENTS * 10);
    // The factor is in tenths, so the product is in hundredths of a cent,
    // i.e. ten-thousandths of a yuan; integer division rounds down.
    let scaled = sum_tenth_cents * factor_tenths(history.payment_count);
    let whole_yuan = scaled / 10_000;
    capped(whole_yuan * 100)
}

/// The factor of step 2, in tenths.
fn factor_tenths(payment_count: u32) -> u64 {
    match payment_count {
        12.. => 10,
        0..=2 => 5,
        _ => 8,
    }
}

/// Step 4.
fn capped(cents: u64) -> u64 {
    cents.min(MAX_LIMIT_CENTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(months_active: u32, payment_count: u32, payment_volume: &str) -> u64 {
        credit_limit_cents(&History {
            months_active,
            payment_count,
            payment_volume: payment_volume.into(),
        })
    }

    #[test]
    fn no_history_gets_half_the_base() {
        assert_eq!(credit_limit_cents(&History::default()), 25_000);
    }

    #[test]
    fn the_payment_count_sets_the_factor() {
        // Sum 500.00 + 1,000.00 = 1,500.00.
        assert_eq!(limit(10, 0, "0"), 75_000);
        assert_eq!(limit(10, 2, "0"), 75_000);
        assert_eq!(limit(10, 3, "0"), 120_000);
        assert_eq!(limit(10, 11, "0"), 120_000);
        assert_eq!(limit(10, 12, "0"), 150_000);
        assert_eq!(limit(10, u32::MAX, "0"), 150_000);
    }

    #[test]
    fn months_count_up_to_24() {
        assert_eq!(limit(23, 12, "0"), 280_000);
        assert_eq!(limit(24, 12, "0"), 290_000);
        assert_eq!(limit(25, 12, "0"), 290_000);
        assert_eq!(limit(u32::MAX, 12, "0"), 290_000);
    }

    #[test]
    fn the_volume_share_is_capped_at_20000() {
        assert_eq!(limit(0, 12, "199999.90"), 2_049_900);
        assert_eq!(limit(0, 12, "200000.00"), 2_050_000);
        assert_eq!(limit(0, 12, "200000.01"), 2_050_000);
        assert_eq!(limit(0, 12, "999999999999999.99"), 2_050_000);
    }

    #[test]
    fn the_result_is_rounded_down_to_whole_yuan() {
        // 500.00 + 123.45 = 623.45 → 623.00.
        assert_eq!(limit(0, 12, "1234.50"), 62_300);
        // 500.00 + 9.99 = 509.99 → 509.00.
        assert_eq!(limit(0, 12, "99.99"), 50_900);
        // 500.00 + 0.999 = 500.999 → 500.00, however close to 501.
        assert_eq!(limit(0, 12, "9.99"), 50_000);
        // (500.00 + 100.00 + 0.50) × 0.8 = 480.40 → 480.00.
        assert_eq!(limit(1, 5, "5.00"), 48_000);
        // (500.00 + 1.25) × 0.5 = 250.625 → 250.00.
        assert_eq!(limit(0, 0, "12.50"), 25_000);
        // (500.00 + 2.00) × 0.5 = 251.00 exactly.
        assert_eq!(limit(0, 0, "20.00"), 25_100);
    }

    #[test]
    fn the_highest_reachable_limit_is_22900() {
        assert_eq!(limit(u32::MAX, u32::MAX, "999999999999999.99"), 2_290_000);
    }

    #[test]
    fn no_limit_exceeds_50000() {
        assert_eq!(capped(4_999_999), 4_999_999);
        assert_eq!(capped(5_000_000), 5_000_000);
        assert_eq!(capped(5_000_100), 5_000_000);
    }
}
