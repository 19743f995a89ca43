//! Secondary indexes and API idempotency records of the embedded store.

use std::time::{SystemTime, UNIX_EPOCH};

use redb::{Database, ReadableTable};

use super::tables::{OrEmbedded, COUNTERS, IDEMPOTENCY, INDEXES};
use crate::store::{IdempotencyClaim, StoreError};

/// Record state of a request still being processed.
const IN_FLIGHT: u8 = 0;
/// Record state of a request whose response is stored.
const COMPLETED: u8 = 1;

pub(super) fn index_add(db: &Database, index: &str, member: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(INDEXES)
        .embedded()?
        .insert((index, member), ())
        .embedded()?;
    txn.commit().embedded()
}

pub(super) fn index_remove(db: &Database, index: &str, member: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(INDEXES)
        .embedded()?
        .remove((index, member))
        .embedded()?;
    txn.commit().embedded()
}

pub(super) fn index_members(db: &Database, index: &str) -> Result<Vec<String>, StoreError> {
    let txn = db.begin_read().embedded()?;
    let indexes = txn.open_table(INDEXES).embedded()?;
    let mut members = Vec::new();
    // The empty string sorts first, so the scan starts at the index's first member.
    for row in indexes.range((index, "")..).embedded()? {
        let (key, _) = row.embedded()?;
        let (name, member) = key.value();
        if name != index {
            break;
        }
        members.push(member.to_owned());
    }
    Ok(members)
}

pub(super) fn claim(
    db: &Database,
    key: &str,
    fingerprint: &[u8],
    in_flight_ttl_ms: u64,
) -> Result<IdempotencyClaim, StoreError> {
    let now = now_ms()?;
    let txn = db.begin_write().embedded()?;
    let claim = {
        let mut records = txn.open_table(IDEMPOTENCY).embedded()?;
        let record = records.get(key).embedded()?.map(|row| {
            let (state, expires_ms, fingerprint, response) = row.value();
            (state, expires_ms, fingerprint.to_vec(), response.to_vec())
        });
        match record {
            // An expired record counts as absent, as a Redis key past its PX would.
            Some((state, expires_ms, fingerprint, response)) if expires_ms > now => {
                held(key, state, fingerprint, response)?
            }
            _ => {
                let expires_ms = expiry(now, in_flight_ttl_ms);
                records
                    .insert(key, (IN_FLIGHT, expires_ms, fingerprint, &[][..]))
                    .embedded()?;
                IdempotencyClaim::Claimed
            }
        }
    };
    if claim == IdempotencyClaim::Claimed {
        txn.commit().embedded()?;
    } else {
        txn.abort().embedded()?;
    }
    Ok(claim)
}

fn held(
    key: &str,
    state: u8,
    fingerprint: Vec<u8>,
    response: Vec<u8>,
) -> Result<IdempotencyClaim, StoreError> {
    match state {
        IN_FLIGHT => Ok(IdempotencyClaim::InFlight { fingerprint }),
        COMPLETED => Ok(IdempotencyClaim::Completed {
            fingerprint,
            response,
        }),
        other => Err(StoreError::Corrupt(format!(
            "idempotency record {key} has the unknown state {other}"
        ))),
    }
}

pub(super) fn complete(
    db: &Database,
    key: &str,
    fingerprint: &[u8],
    response: &[u8],
    ttl_ms: u64,
) -> Result<(), StoreError> {
    let expires_ms = expiry(now_ms()?, ttl_ms);
    let txn = db.begin_write().embedded()?;
    txn.open_table(IDEMPOTENCY)
        .embedded()?
        .insert(key, (COMPLETED, expires_ms, fingerprint, response))
        .embedded()?;
    txn.commit().embedded()
}

pub(super) fn release(db: &Database, key: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(IDEMPOTENCY)
        .embedded()?
        .remove(key)
        .embedded()?;
    txn.commit().embedded()
}

fn expiry(now_ms: i64, ttl_ms: u64) -> i64 {
    now_ms.saturating_add(i64::try_from(ttl_ms).unwrap_or(i64::MAX))
}

pub(super) fn count_attempt(db: &Database, key: &str, window_ms: u64) -> Result<u64, StoreError> {
    let now = now_ms()?;
    let txn = db.begin_write().embedded()?;
    let count = {
        let mut counters = txn.open_table(COUNTERS).embedded()?;
        let current = counters.get(key).embedded()?.map(|row| row.value());
        let (count, ends) = match current {
            Some((count, ends)) if ends > now => (count + 1, ends),
            _ => (
                1,
                now.saturating_add(i64::try_from(window_ms).unwrap_or(i64::MAX)),
            ),
        };
        counters.insert(key, (count, ends)).embedded()?;
        count
    };
    txn.commit().embedded()?;
    Ok(count)
}

pub(super) fn attempts(db: &Database, key: &str) -> Result<u64, StoreError> {
    let now = now_ms()?;
    let txn = db.begin_read().embedded()?;
    let counters = txn.open_table(COUNTERS).embedded()?;
    let current = counters.get(key).embedded()?.map(|row| row.value());
    Ok(match current {
        Some((count, ends)) if ends > now => count,
        _ => 0,
    })
}

fn now_ms() -> Result<i64, StoreError> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| StoreError::Embedded(format!("system clock before 1970: {e}")))?;
    Ok(i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX))
}
