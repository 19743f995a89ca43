//! The time arithmetic both backends share: the current instant and instants a duration
//! ahead, in Unix milliseconds, saturating instead of overflowing.

use chrono::Utc;

/// Now, Unix milliseconds.
pub(super) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// The instant `ms` milliseconds after `from_ms`; a duration too long to represent
/// lands at the end of time rather than wrapping into the past.
pub(super) fn after(from_ms: i64, ms: u64) -> i64 {
    from_ms.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::after;

    #[test]
    fn instants_ahead_saturate() {
        assert_eq!(after(1_000, 500), 1_500);
        assert_eq!(after(1_000, u64::MAX), i64::MAX);
        assert_eq!(after(i64::MAX - 1, 10), i64::MAX);
    }
}
