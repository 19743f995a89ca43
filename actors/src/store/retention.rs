//! Retention: what outlived its time is deleted, so that sealed personal data does not
//! stay at rest forever. Finished sagas go with every record of them a set period after
//! they finished; account links whose token lapsed unused go the same period after it
//! lapsed, and revoked virtual accounts forget their real account the same period after
//! the revocation; records that carry an expiry go once it passed (Redis expires those by itself,
//! the embedded store needs to be swept).
//!
//! Every purge is bounded (at most `limit` records of a kind per call), so that a sweep
//! never holds the store for long, and idempotent: several replicas may sweep at once,
//! and each record is counted by the one purge that deleted it.

use async_trait::async_trait;

use super::StoreError;

/// How many records of each kind one purge deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Finished sagas, each with its state, meta, journal, timer, set memberships, index
    /// rows and lease.
    pub sagas: u64,
    /// API idempotency records: those about a purged saga, and expired ones.
    pub idempotency: u64,
    /// Attempt counters and login-failure counts whose window passed.
    pub counters: u64,
    /// Ticket families past their retention.
    pub ticket_families: u64,
    /// Pairing codes past their expiry.
    pub pairing_codes: u64,
    /// Account links whose token lapsed unused, past their retention.
    pub links: u64,
    /// Link tokens past their expiry (embedded store).
    pub link_tokens: u64,
    /// Revoked virtual accounts whose real account was forgotten.
    pub revoked_accounts: u64,
}

impl Purged {
    /// The counts by the record names the metric and the log use.
    pub fn by_record(&self) -> [(&'static str, u64); 8] {
        [
            ("saga", self.sagas),
            ("idempotency", self.idempotency),
            ("counter", self.counters),
            ("ticket_family", self.ticket_families),
            ("pairing_code", self.pairing_codes),
            ("link", self.links),
            ("link_token", self.link_tokens),
            ("revoked_account", self.revoked_accounts),
        ]
    }

    /// Whether nothing was deleted.
    pub fn is_empty(&self) -> bool {
        self.by_record().iter().all(|(_, count)| *count == 0)
    }

    /// The larger count of any one kind: a purge that reached its limit for a kind may
    /// have left more of it.
    pub fn most(&self) -> u64 {
        self.by_record()
            .iter()
            .map(|(_, count)| *count)
            .max()
            .unwrap_or(0)
    }
}

impl std::ops::AddAssign for Purged {
    fn add_assign(&mut self, other: Purged) {
        self.sagas += other.sagas;
        self.idempotency += other.idempotency;
        self.counters += other.counters;
        self.ticket_families += other.ticket_families;
        self.pairing_codes += other.pairing_codes;
        self.links += other.links;
        self.link_tokens += other.link_tokens;
        self.revoked_accounts += other.revoked_accounts;
    }
}

/// What one step of [`RetentionStore::backfill_finished`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backfill {
    /// Finished sagas entered in the finished index by this step.
    pub indexed: u64,
    /// Where the next step starts; `None` once every saga was looked at.
    pub next: Option<String>,
}

/// Deletion of what outlived its time.
#[async_trait]
pub trait RetentionStore: Send + Sync + 'static {
    /// Deletes at most `limit` sagas that finished (completed or compensated) at or
    /// before `finished_by_ms` (the `updated_at_ms` of their final transition), oldest
    /// first, each with every record of it, and the idempotency records whose response is
    /// about one of them. Sagas that wait, run or failed are never touched. A saga is
    /// deleted whole or not at all.
    async fn purge_finished(&self, finished_by_ms: i64, limit: usize)
        -> Result<Purged, StoreError>;

    /// Enters in the index of finished sagas (what [`RetentionStore::purge_finished`]
    /// reads) the finished sagas that an older version wrote without it, looking at about
    /// `limit` sagas from `cursor` (`None`: the start). A walk over every saga, once per
    /// process, so that sagas that finished before an upgrade are deleted too; entering
    /// one twice changes nothing.
    async fn backfill_finished(
        &self,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<Backfill, StoreError>;

    /// Deletes at most `limit` account links whose token lapsed at or before
    /// `lapsed_by_ms` without being exchanged (links that read `expired`), with the sealed
    /// user reference they hold, the earliest first. Links the wallet exchanged are kept:
    /// they carry a virtual account. Answers how many went.
    async fn purge_lapsed_links(&self, lapsed_by_ms: i64, limit: usize) -> Result<u64, StoreError>;

    /// Forgets the real payment account of at most `limit` virtual accounts revoked at or
    /// before `revoked_by_ms`, the earliest first: their sealed account and the keyed hash
    /// of the account go, so they leave the wallet's listing, while the id keeps
    /// answering as revoked to its merchant and its links keep reading `revoked`. Answers
    /// how many were forgotten.
    async fn forget_revoked_accounts(
        &self,
        revoked_by_ms: i64,
        limit: usize,
    ) -> Result<u64, StoreError>;

    /// Deletes at most `limit` records of each kind whose expiry has passed: idempotency
    /// records, attempt counters, login-failure counts, ticket families, pairing codes,
    /// link tokens.
    /// On Redis each of these keys carries its expiry and Redis deletes it, so this finds
    /// nothing there.
    async fn purge_expired(&self, limit: usize) -> Result<Purged, StoreError>;
}
