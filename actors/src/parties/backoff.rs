//! Exponential backoff with full jitter between attempts of a party call.

use std::time::Duration;

use rand::Rng;

/// The delay schedule of retries: attempt n waits a uniformly random time in
/// `[0, min(max, initial · 2ⁿ)]`, which spreads retries of many sagas apart.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// Ceiling of the first delay.
    pub initial: Duration,
    /// Largest ceiling.
    pub max: Duration,
}

impl Backoff {
    /// The delay before retry number `attempt` (1 for the first retry).
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let millis = ceiling.as_millis() as u64;
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }

    /// The upper bound of the delay before retry `attempt`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.initial.saturating_mul(factor).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_double_up_to_the_maximum_and_delays_stay_below_them() {
        let backoff = Backoff {
            initial: Duration::from_millis(20),
            max: Duration::from_millis(150),
        };
        let ceilings: Vec<u128> = (1..=6).map(|a| backoff.ceiling(a).as_millis()).collect();
        assert_eq!(ceilings, vec![20, 40, 80, 150, 150, 150]);
        for attempt in 1..50 {
            assert!(backoff.delay(attempt) <= backoff.ceiling(attempt));
        }
    }
}
