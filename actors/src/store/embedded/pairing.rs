//! Pairing codes of the embedded store: its own cell index in redb. `PAIR_CELLS` holds
//! each live code under its grid cell and number, `PAIR_ACCOUNTS` each issuing account's
//! code and record (accounts named `<scope>|<account>`), `PAIR_EXPIRY` the codes by
//! expiry for the sweep every write starts with. One write transaction per issue or claim
//! makes each atomic. As on Redis, a few candidate codes are looked up by number first;
//! only when all are taken is every code in range read.

use std::collections::HashSet;

use async_trait::async_trait;
use onboard_workflows::domain::{GeoPoint, PairingCode, CODE_SPACE};
use redb::{Database, ReadableTable, Table, WriteTransaction};

use super::tables::{OrEmbedded, PAIR_ACCOUNTS, PAIR_CELLS, PAIR_EXPIRY};
use super::EmbeddedStore;
use crate::store::geo_cells::{cell_of, cells_within};
use crate::store::pairing::{exclusion_m, owner, reach_m, CandidateOrder};
use crate::store::{clock, Claimed, CodeClaim, CodeIssue, Issued, PairingStore, StoreError};

/// Candidates tried by number before every code in range is read.
const QUICK_TRIES: usize = 16;

/// The largest account id, in the order of `&str` keys: ends a prefix scan.
const LAST: &str = "\u{10ffff}";

#[async_trait]
impl PairingStore for EmbeddedStore {
    async fn issue_code(&self, issue: &CodeIssue<'_>) -> Result<Issued, StoreError> {
        let owned = OwnedIssue {
            account: owner(issue.scope, issue.account),
            at: issue.at,
            radius_m: issue.radius_m,
            ttl_ms: issue.ttl_ms,
            record: issue.record.to_vec(),
            seed: issue.seed,
        };
        self.run(move |db| issue_in(db, &owned)).await
    }

    async fn claim_code(&self, claim: &CodeClaim<'_>) -> Result<Claimed, StoreError> {
        let (code, claimant, at, radius_m) = (
            claim.code,
            owner(claim.scope, claim.claimant),
            claim.at,
            claim.radius_m,
        );
        let scope = format!("{}|", claim.scope);
        self.run(move |db| claim_in(db, code, (&scope, &claimant), &at, radius_m))
            .await
    }
}

struct OwnedIssue {
    /// The issuer as its code's owner, `<scope>|<account>`.
    account: String,
    at: GeoPoint,
    radius_m: u32,
    ttl_ms: u64,
    record: Vec<u8>,
    seed: u64,
}

fn issue_in(db: &Database, issue: &OwnedIssue) -> Result<Issued, StoreError> {
    let now = clock::now_ms();
    let exclusion = exclusion_m(issue.radius_m);
    let cells = cells_within(&issue.at, exclusion);
    let txn = db.begin_write().embedded()?;
    let issued = {
        let mut tables = PairTables::open(&txn)?;
        tables.sweep(now)?;
        tables.drop_code_of(&issue.account)?;
        match free_code(&tables, &cells, &issue.at, exclusion, issue.seed)? {
            None => Issued::Exhausted,
            Some(code) => {
                let expires_at_ms = clock::after(now, issue.ttl_ms);
                let cell = cell_of(&issue.at);
                let account = issue.account.as_str();
                tables
                    .cells
                    .insert(
                        (cell.as_str(), code.number(), account),
                        (issue.at.lat(), issue.at.lon()),
                    )
                    .embedded()?;
                let row = (
                    code.number(),
                    cell.as_str(),
                    expires_at_ms,
                    issue.record.as_slice(),
                );
                tables.accounts.insert(account, row).embedded()?;
                tables
                    .expiry
                    .insert((expires_at_ms, account), ())
                    .embedded()?;
                Issued::Code {
                    code,
                    expires_at_ms,
                }
            }
        }
    };
    txn.commit().embedded()?;
    Ok(issued)
}

/// A code no live code within `exclusion` of `at` uses, if any is left.
fn free_code(
    tables: &PairTables<'_>,
    cells: &[String],
    at: &GeoPoint,
    exclusion: f64,
    seed: u64,
) -> Result<Option<PairingCode>, StoreError> {
    let order = CandidateOrder::of_seed(seed);
    for code in order.codes().take(QUICK_TRIES) {
        let mut taken = false;
        for cell in cells {
            taken = taken || !tables.holders(cell, code, at, exclusion)?.is_empty();
        }
        if !taken {
            return Ok(PairingCode::from_number(code));
        }
    }
    let mut used = HashSet::new();
    for cell in cells {
        for (code, _, place) in tables.codes_in(cell, 0..=CODE_SPACE - 1)? {
            if at.distance_m(&place) <= exclusion {
                used.insert(code);
            }
        }
    }
    Ok(order
        .codes()
        .find(|code| !used.contains(code))
        .and_then(PairingCode::from_number))
}

/// Claims `code` for the owner `claimant` of scope `scope` (`<scope>|`).
fn claim_in(
    db: &Database,
    code: PairingCode,
    (scope, claimant): (&str, &str),
    at: &GeoPoint,
    radius_m: u32,
) -> Result<Claimed, StoreError> {
    let now = clock::now_ms();
    let txn = db.begin_write().embedded()?;
    let claimed = {
        let mut tables = PairTables::open(&txn)?;
        tables.sweep(now)?;
        let mut holders = Vec::new();
        for cell in cells_within(at, reach_m(radius_m)) {
            holders.extend(tables.holders(&cell, code.number(), at, reach_m(radius_m))?);
        }
        match holders.first() {
            Some(owner) if owner != claimant && owner.starts_with(scope) => {
                match tables.drop_code_of(owner)? {
                    Some(record) => Claimed::Record(record),
                    None => Claimed::NotFound,
                }
            }
            _ => Claimed::NotFound,
        }
    };
    txn.commit().embedded()?;
    Ok(claimed)
}

/// Drops at most `limit` codes that expired by `now` inside `txn` (a retention sweep, for
/// when no pairing write comes to sweep them); answers how many.
pub(super) fn purge_expired(
    txn: &WriteTransaction,
    now: i64,
    limit: usize,
) -> Result<u64, StoreError> {
    PairTables::open(txn)?.sweep_up_to(now, limit)
}

/// The three pairing tables of one write transaction.
struct PairTables<'txn> {
    cells: Table<'txn, (&'static str, u32, &'static str), (f64, f64)>,
    accounts: Table<'txn, &'static str, (u32, &'static str, i64, &'static [u8])>,
    expiry: Table<'txn, (i64, &'static str), ()>,
}

impl<'txn> PairTables<'txn> {
    fn open(txn: &'txn WriteTransaction) -> Result<PairTables<'txn>, StoreError> {
        Ok(PairTables {
            cells: txn.open_table(PAIR_CELLS).embedded()?,
            accounts: txn.open_table(PAIR_ACCOUNTS).embedded()?,
            expiry: txn.open_table(PAIR_EXPIRY).embedded()?,
        })
    }

    /// Drops every code that expired by `now`.
    fn sweep(&mut self, now: i64) -> Result<(), StoreError> {
        self.sweep_up_to(now, usize::MAX).map(drop)
    }

    /// Drops at most `limit` codes that expired by `now`, the earliest first; answers how
    /// many.
    fn sweep_up_to(&mut self, now: i64, limit: usize) -> Result<u64, StoreError> {
        let mut expired = Vec::new();
        for row in self.expiry.range(..=(now, LAST)).embedded()?.take(limit) {
            let (key, _) = row.embedded()?;
            expired.push(key.value().1.to_owned());
        }
        for account in &expired {
            self.drop_code_of(account)?;
        }
        Ok(expired.len() as u64)
    }

    /// Drops the account's code from every table; its record, if it had one.
    fn drop_code_of(&mut self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(row) = self.accounts.remove(account).embedded()? else {
            return Ok(None);
        };
        let (code, cell, expires_at_ms, record) = row.value();
        let (cell, record) = (cell.to_owned(), record.to_vec());
        drop(row);
        self.cells
            .remove((cell.as_str(), code, account))
            .embedded()?;
        self.expiry.remove((expires_at_ms, account)).embedded()?;
        Ok(Some(record))
    }

    /// The accounts holding `code` in `cell` within `reach` of `at`.
    fn holders(
        &self,
        cell: &str,
        code: u32,
        at: &GeoPoint,
        reach: f64,
    ) -> Result<Vec<String>, StoreError> {
        Ok(self
            .codes_in(cell, code..=code)?
            .into_iter()
            .filter(|(_, _, place)| at.distance_m(place) <= reach)
            .map(|(_, account, _)| account)
            .collect())
    }

    /// The codes of `cell` numbered within `codes`, with their accounts and places.
    fn codes_in(
        &self,
        cell: &str,
        codes: std::ops::RangeInclusive<u32>,
    ) -> Result<Vec<(u32, String, GeoPoint)>, StoreError> {
        let mut found = Vec::new();
        let range = (cell, *codes.start(), "")..=(cell, *codes.end(), LAST);
        for row in self.cells.range(range).embedded()? {
            let (key, value) = row.embedded()?;
            let (_, code, account) = key.value();
            let (lat, lon) = value.value();
            let place = GeoPoint::parse(lat, lon)
                .map_err(|_| StoreError::Corrupt(format!("pairing cell {cell} holds no place")))?;
            found.push((code, account.to_owned(), place));
        }
        Ok(found)
    }
}
