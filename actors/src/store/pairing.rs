//! Pairing codes: six digits unique among the live codes whose ranges overlap, so that a
//! person nearby can type one and find its issuer. Each backend keeps an index of live
//! codes by grid cell ([`super::geo_cells`]), searched together with the neighbouring
//! cells, and allocates, replaces and consumes codes atomically.

use async_trait::async_trait;
use onboard_workflows::domain::{GeoPoint, PairingCode, CODE_SPACE};

use super::StoreError;

/// How far beyond the exact distance a search reaches, in metres: Redis GEO keeps
/// positions to about 0.6 m, so two ranges that overlap by less than that are still taken
/// to overlap, and a code is never shared for want of a rounding error.
const GEO_MARGIN_M: f64 = 1.0;

/// A code to issue for `account` at `at`.
#[derive(Debug, Clone, Copy)]
pub struct CodeIssue<'a> {
    /// Whose accounts these are (the wallet calling): a claim finds codes of its own
    /// scope only, though codes are unique across scopes. No `|` in it.
    pub scope: &'a str,
    /// The issuer's payment account; it holds at most one live code, which this replaces.
    pub account: &'a str,
    /// The range's centre.
    pub at: GeoPoint,
    /// The range's radius; the code differs from every live code closer than twice it.
    pub radius_m: u32,
    /// How long the code lives.
    pub ttl_ms: u64,
    /// What a claim answers, opaque to the store.
    pub record: &'a [u8],
    /// Where the search for a free code starts, so that codes are not guessable by order.
    pub seed: u64,
}

/// What issuing gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// The code, live until `expires_at_ms` (Unix ms).
    Code {
        /// The code.
        code: PairingCode,
        /// When it stops being claimable.
        expires_at_ms: i64,
    },
    /// Every code is taken by a live code whose range overlaps; nothing was written (the
    /// account's previous code, if any, is gone all the same).
    Exhausted,
}

/// A claim of `code` by `claimant` standing at `at`.
#[derive(Debug, Clone, Copy)]
pub struct CodeClaim<'a> {
    /// Whose accounts these are; codes of other scopes are never found.
    pub scope: &'a str,
    /// The code typed.
    pub code: PairingCode,
    /// The claimant's payment account; its own code is never found.
    pub claimant: &'a str,
    /// Where the claimant stands; the issuer must be within `radius_m`.
    pub at: GeoPoint,
    /// The range's radius.
    pub radius_m: u32,
}

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// The live code of another account in range, now consumed: its record.
    Record(Vec<u8>),
    /// No such live code in range (wrong, used, expired, far, or the claimant's own).
    NotFound,
}

/// The live pairing codes.
#[async_trait]
pub trait PairingStore: Send + Sync + 'static {
    /// In one atomic step: drops the account's live code, picks a code no live code within
    /// `2 × radius_m` of `at` uses, and indexes it with its record for `ttl_ms`.
    async fn issue_code(&self, issue: &CodeIssue<'_>) -> Result<Issued, StoreError>;

    /// In one atomic step: finds the live code `code` of another account within
    /// `radius_m` of `at`, and consumes it.
    async fn claim_code(&self, claim: &CodeClaim<'_>) -> Result<Claimed, StoreError>;
}

/// The order in which codes are tried: from a random start, by a step coprime with the
/// code space, so every code is tried once and a free one is always found when any is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CandidateOrder {
    /// The first code tried.
    pub(crate) start: u32,
    /// The distance between two codes tried.
    pub(crate) step: u32,
}

impl CandidateOrder {
    /// The order a seed picks.
    pub(crate) fn of_seed(seed: u64) -> CandidateOrder {
        let space = u64::from(CODE_SPACE);
        let start = u32::try_from(seed % space).unwrap_or(0);
        // Odd and not a multiple of 5: coprime with 10^6.
        let mut step = u32::try_from((seed >> 20) % space).unwrap_or(1) | 1;
        if step % 5 == 0 {
            step = (step + 2) % CODE_SPACE;
        }
        CandidateOrder { start, step }
    }

    /// The codes in order.
    pub(crate) fn codes(self) -> impl Iterator<Item = u32> {
        (0..CODE_SPACE).scan(self.start, move |code, _| {
            let current = *code;
            *code = (current + self.step) % CODE_SPACE;
            Some(current)
        })
    }
}

/// The name under which a store keeps an account's code: scope and account, so that two
/// wallets' accounts never meet and a claim can tell its scope's codes.
pub(crate) fn owner(scope: &str, account: &str) -> String {
    format!("{scope}|{account}")
}

/// The distance within which another live code must differ.
pub(crate) fn exclusion_m(radius_m: u32) -> f64 {
    2.0 * f64::from(radius_m) + GEO_MARGIN_M
}

/// The distance within which a claimant finds a code.
pub(crate) fn reach_m(radius_m: u32) -> f64 {
    f64::from(radius_m) + GEO_MARGIN_M
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::CandidateOrder;

    #[test]
    fn every_order_tries_every_code_once() {
        for seed in [0_u64, 1, 5 << 20, u64::MAX, 0x1234_5678_9abc] {
            let order = CandidateOrder::of_seed(seed);
            let tried: HashSet<u32> = order.codes().collect();
            assert_eq!(tried.len(), 1_000_000, "{seed}");
        }
    }
}
