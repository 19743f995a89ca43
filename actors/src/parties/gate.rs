//! Per-party limits in front of the HTTP parties: a slow or rate-limited bank is not
//! flooded, and one party's trouble does not hold up the calls that only need the other.
//! Waiting for a slot is not an attempt: it never counts against a saga's retry budget.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use onboard_workflows::{CallOutcome, Party, PartyCall};
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::{HttpParties, PartyError};

/// One party's limits (`parties.<name>.max_in_flight` and `parties.<name>.per_second`).
#[derive(Debug, Clone, Copy)]
pub struct PartyLimits {
    /// Calls in flight at once.
    pub max_in_flight: usize,
    /// Calls started per second.
    pub per_second: u32,
}

/// The parties behind their limits: what the runtime calls.
pub struct PartyGate {
    parties: HttpParties,
    bank: Lane,
    wallet: Lane,
}

/// One party's slots, start rate, and the pause a 429 with `Retry-After` asked for.
struct Lane {
    slots: Semaphore,
    rate: DefaultDirectRateLimiter,
    resume_at: Mutex<Option<Instant>>,
    waiting: AtomicI64,
}

impl Lane {
    fn new(limits: PartyLimits) -> Lane {
        let per_second = NonZeroU32::new(limits.per_second).unwrap_or(NonZeroU32::MIN);
        Lane {
            slots: Semaphore::new(limits.max_in_flight.max(1)),
            rate: RateLimiter::direct(Quota::per_second(per_second)),
            resume_at: Mutex::new(None),
            waiting: AtomicI64::new(0),
        }
    }

    /// Waits until the party may take one more call: past any `Retry-After`, within the
    /// rate, and with a free slot, which the caller holds for the call's duration.
    async fn admit(&self) -> tokio::sync::SemaphorePermit<'_> {
        let _waiting = Waiting::count(&self.waiting);
        let resume_at = *self
            .resume_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = resume_at {
            tokio::time::sleep_until(at).await;
        }
        self.rate.until_ready().await;
        let slot = self
            .slots
            .acquire()
            .await
            .expect("a lane's semaphore is never closed");
        slot
    }

    /// Holds every call to the party for `pause`, as its 429 asked.
    fn pause_for(&self, pause: Duration) {
        let until = Instant::now() + pause;
        let mut resume_at = self
            .resume_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if resume_at.is_none_or(|at| at < until) {
            *resume_at = Some(until);
        }
    }
}

/// One call counted as waiting for as long as it waits, even when its wait is abandoned.
struct Waiting<'a>(&'a AtomicI64);

impl<'a> Waiting<'a> {
    fn count(waiting: &'a AtomicI64) -> Waiting<'a> {
        waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(waiting)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl PartyGate {
    /// The parties behind `bank`'s and `wallet`'s limits.
    pub fn new(parties: HttpParties, bank: PartyLimits, wallet: PartyLimits) -> PartyGate {
        PartyGate {
            parties,
            bank: Lane::new(bank),
            wallet: Lane::new(wallet),
        }
    }

    fn lane(&self, party: Party) -> &Lane {
        match party {
            Party::Bank => &self.bank,
            Party::Wallet => &self.wallet,
        }
    }

    /// One attempt of `call` under `idempotency_key`, once its party admits it, and how
    /// long the party took (the wait for a slot left out, so that the party's latency is
    /// not confused with this replica's queue).
    pub async fn call(
        &self,
        call: &PartyCall,
        idempotency_key: &str,
    ) -> (Result<CallOutcome, PartyError>, Duration) {
        let lane = self.lane(call.party());
        let _slot = lane.admit().await;
        let sent = Instant::now();
        let result = self.parties.call(call, idempotency_key).await;
        let took = sent.elapsed();
        if let Err(PartyError::Throttled { retry_after }) = &result {
            lane.pause_for(*retry_after);
        }
        (result, took)
    }

    /// Calls waiting for a slot, per party, for `/metrics`.
    pub fn waiting(&self) -> [(Party, i64); 2] {
        [Party::Bank, Party::Wallet].map(|party| {
            let waiting = self.lane(party).waiting.load(Ordering::Relaxed);
            (party, waiting)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lane(max_in_flight: usize) -> Lane {
        Lane::new(PartyLimits {
            max_in_flight,
            per_second: 1000,
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_lane_makes_the_next_call_wait_for_a_slot() {
        let lane = lane(1);
        let held = lane.admit().await;
        let waiting = tokio::time::timeout(Duration::from_secs(5), lane.admit()).await;
        assert!(waiting.is_err(), "the only slot is taken");
        drop(held);
        let admitted = tokio::time::timeout(Duration::from_secs(5), lane.admit()).await;
        assert!(admitted.is_ok(), "a released slot admits the next call");
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_holds_every_call_of_the_party_until_it_passes() {
        let lane = lane(8);
        lane.pause_for(Duration::from_secs(30));
        let early = tokio::time::timeout(Duration::from_secs(29), lane.admit()).await;
        assert!(early.is_err(), "held while the party asked to wait");
        let later = tokio::time::timeout(Duration::from_secs(2), lane.admit()).await;
        assert!(later.is_ok(), "admitted once the pause passed");
    }
}
