//! Pairing codes on Redis. Per grid cell, a GEO set (`…:{pair}:cell:<row>:<col>`) and a
//! sorted set by code number (`…:{pair}:codes:<row>:<col>`), both of members
//! `<code>:<owner>` (owner: `<scope>|<account>`); per issuing account a hash
//! (`…:{pair}:acct:<owner>`: its code's cell, member and record, expiring with the code);
//! and one expiry zset (`…:{pair}:exp`) that every script sweeps. All of them carry the hash tag `{pair}`, so that one script
//! can search a cell and its neighbours, and replace an account's code wherever it was, in
//! one Cluster slot.
//!
//! Issuing first tries a few candidate codes, each looked up by number in the code sets of
//! the cells within reach (a few commands, whatever the density); only when all of those
//! are taken does it `GEOSEARCH` every live code in range and take the first free one, or
//! report exhaustion. A claim looks the typed code up by number the same way.

use std::sync::LazyLock;

use async_trait::async_trait;
use onboard_workflows::domain::PairingCode;
use redis::Script;

use super::{unexpected_code, RedisStore, LATE};
use crate::store::geo_cells::cells_within;
use crate::store::pairing::{exclusion_m, owner, reach_m, CandidateOrder};
use crate::store::{Claimed, CodeClaim, CodeIssue, Issued, PairingStore, StoreError};

/// Expired codes one script drops at most, so that no single request pays for a burst.
/// Codes left over are taken as live by an allocation (never shared) and as gone by a
/// claim (their record expired with them).
const SWEEP_LIMIT: u32 = 500;

/// Candidates tried by number before the full search.
const QUICK_TRIES: u32 = 16;

static ISSUE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("pairing_sweep.lua"),
        include_str!("pairing_issue.lua")
    ))
});

static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("pairing_sweep.lua"),
        include_str!("pairing_claim.lua")
    ))
});

impl RedisStore {
    /// The prefix of every pairing key, hash tag included; the scripts append the rest.
    fn pairing_prefix(&self) -> String {
        format!("{}:{{pair}}:", self.prefix)
    }
}

#[async_trait]
impl PairingStore for RedisStore {
    async fn issue_code(&self, issue: &CodeIssue<'_>) -> Result<Issued, StoreError> {
        let prefix = self.pairing_prefix();
        let cells = cells_within(&issue.at, exclusion_m(issue.radius_m));
        let order = CandidateOrder::of_seed(issue.seed);
        let owner = owner(issue.scope, issue.account);
        let mut script = ISSUE.prepare_invoke();
        script
            .key(format!("{prefix}exp"))
            .key(format!("{prefix}acct:{owner}"));
        for cell in &cells {
            script
                .key(format!("{prefix}cell:{cell}"))
                .key(format!("{prefix}codes:{cell}"));
        }
        script
            .arg(self.apply_by_ms())
            .arg(&owner)
            .arg(issue.at.lon())
            .arg(issue.at.lat())
            .arg(exclusion_m(issue.radius_m))
            .arg(issue.ttl_ms.max(1))
            .arg(issue.record)
            .arg(order.start)
            .arg(order.step)
            .arg(&prefix)
            .arg(SWEEP_LIMIT)
            .arg(QUICK_TRIES);
        for cell in &cells {
            script.arg(cell);
        }
        let (code, number, expires_at_ms): (i64, Option<String>, Option<i64>) =
            script.invoke_async(&mut self.con()).await?;
        match (code, number, expires_at_ms) {
            (LATE, ..) => Err(StoreError::Late {
                operation: "pairing issue",
            }),
            (0, ..) => Ok(Issued::Exhausted),
            (1, Some(number), Some(expires_at_ms)) => {
                let code = PairingCode::parse(&number).map_err(|_| {
                    StoreError::Corrupt("the pairing issue script gave no code".to_owned())
                })?;
                Ok(Issued::Code {
                    code,
                    expires_at_ms,
                })
            }
            (other, ..) => Err(unexpected_code("pairing issue", other)),
        }
    }

    async fn claim_code(&self, claim: &CodeClaim<'_>) -> Result<Claimed, StoreError> {
        let prefix = self.pairing_prefix();
        let cells = cells_within(&claim.at, reach_m(claim.radius_m));
        let mut script = CLAIM.prepare_invoke();
        script.key(format!("{prefix}exp"));
        for cell in &cells {
            script
                .key(format!("{prefix}cell:{cell}"))
                .key(format!("{prefix}codes:{cell}"));
        }
        script
            .arg(self.apply_by_ms())
            .arg(claim.code.number())
            .arg(owner(claim.scope, claim.claimant))
            .arg(claim.at.lon())
            .arg(claim.at.lat())
            .arg(reach_m(claim.radius_m))
            .arg(&prefix)
            .arg(SWEEP_LIMIT)
            .arg(format!("{}|", claim.scope));
        for cell in &cells {
            script.arg(cell);
        }
        let (code, record): (i64, Option<Vec<u8>>) = script.invoke_async(&mut self.con()).await?;
        match (code, record) {
            (LATE, _) => Err(StoreError::Late {
                operation: "pairing claim",
            }),
            (0, _) => Ok(Claimed::NotFound),
            (1, Some(record)) => Ok(Claimed::Record(record)),
            (other, _) => Err(unexpected_code("pairing claim", other)),
        }
    }
}
