//! The time of the tests.

use super::ids::prompt;
use crate::saga::Tick;
use chrono::{DateTime, Duration, TimeZone, Utc};

/// The time every test starts at.
pub(crate) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

/// The tick `secs` seconds after [`t0`], with a fresh prompt id that names the second.
pub(crate) fn tick(secs: i64) -> Tick {
    Tick {
        now: t0() + Duration::seconds(secs),
        fresh_prompt_id: prompt(secs.unsigned_abs()),
    }
}
