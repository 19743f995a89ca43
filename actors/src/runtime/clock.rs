//! Where the runtime reads the time: a saga's deadlines, its step times and its metadata
//! all come from one injected clock, so that a test can move time forward instead of
//! sleeping through a deadline.

use chrono::{DateTime, TimeDelta, Utc};

/// The runtime's source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's wall clock: what production runs on.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The wall time when it was made, moved on by tokio's time since: a test that pauses
/// tokio's clock and advances it (`tokio::time::pause`, `advance`) moves this one too,
/// together with the timer poll's interval.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    wall: DateTime<Utc>,
    instant: tokio::time::Instant,
}

impl TokioClock {
    /// A clock reading the wall time now and following tokio's time from here.
    pub fn new() -> TokioClock {
        TokioClock {
            wall: Utc::now(),
            instant: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        TokioClock::new()
    }
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = TimeDelta::from_std(self.instant.elapsed()).unwrap_or(TimeDelta::MAX);
        self.wall + elapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn the_tokio_clock_moves_with_tokio_time_only() {
        let clock = TokioClock::new();
        let start = clock.now();
        tokio::time::advance(Duration::from_secs(600)).await;
        assert_eq!(clock.now() - start, TimeDelta::seconds(600));
    }
}
