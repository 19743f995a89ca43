//! The stores keep instants as Unix milliseconds; the services answer with times.

use chrono::{DateTime, TimeZone, Utc};

/// A Unix-ms instant as a time; one beyond chrono's range reads as its last instant.
pub(crate) fn instant(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_saturate() {
        assert_eq!(instant(0), DateTime::<Utc>::UNIX_EPOCH);
        assert_eq!(instant(i64::MAX), DateTime::<Utc>::MAX_UTC);
    }
}
