//! API idempotency records of the embedded store: one `IDEMPOTENCY` row per key, carrying
//! its expiry, since redb has no expiring keys (retention deletes expired rows), and what
//! saga a completed one is about ([`super::replays`]).

use async_trait::async_trait;
use redb::{Database, ReadableTable};

use super::replays;
use super::tables::{OrEmbedded, IDEMPOTENCY};
use super::EmbeddedStore;
use crate::store::{clock, Completion, IdempotencyClaim, IdempotencyStore, StoreError};

/// Record state of a request still being processed.
const IN_FLIGHT: u8 = 0;
/// Record state of a request whose response is stored.
const COMPLETED: u8 = 1;

#[async_trait]
impl IdempotencyStore for EmbeddedStore {
    async fn claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        let (key, fingerprint) = (key.to_owned(), fingerprint.to_vec());
        self.run(move |db| claim(db, &key, &fingerprint, in_flight_ttl_ms))
            .await
    }

    async fn complete(&self, completion: &Completion<'_>) -> Result<(), StoreError> {
        let record = Record {
            key: completion.key.to_owned(),
            fingerprint: completion.fingerprint.to_vec(),
            response: completion.response.to_vec(),
            ttl_ms: completion.ttl_ms,
            saga_id: completion.saga_id.map(str::to_owned),
        };
        self.run(move |db| complete(db, &record)).await
    }

    async fn release(&self, key: &str) -> Result<(), StoreError> {
        let key = key.to_owned();
        self.run(move |db| release(db, &key)).await
    }
}

fn claim(
    db: &Database,
    key: &str,
    fingerprint: &[u8],
    in_flight_ttl_ms: u64,
) -> Result<IdempotencyClaim, StoreError> {
    let now = clock::now_ms();
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
                let expires_ms = clock::after(now, in_flight_ttl_ms);
                records
                    .insert(key, (IN_FLIGHT, expires_ms, fingerprint, &[][..]))
                    .embedded()?;
                replays::unlink(&txn, key)?;
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

/// A completed record to write, owned so that it moves to the blocking pool.
struct Record {
    key: String,
    fingerprint: Vec<u8>,
    response: Vec<u8>,
    ttl_ms: u64,
    saga_id: Option<String>,
}

fn complete(db: &Database, record: &Record) -> Result<(), StoreError> {
    let expires_ms = clock::after(clock::now_ms(), record.ttl_ms);
    let key = record.key.as_str();
    let txn = db.begin_write().embedded()?;
    txn.open_table(IDEMPOTENCY)
        .embedded()?
        .insert(
            key,
            (
                COMPLETED,
                expires_ms,
                record.fingerprint.as_slice(),
                record.response.as_slice(),
            ),
        )
        .embedded()?;
    replays::link(&txn, key, record.saga_id.as_deref())?;
    txn.commit().embedded()
}

fn release(db: &Database, key: &str) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    txn.open_table(IDEMPOTENCY)
        .embedded()?
        .remove(key)
        .embedded()?;
    replays::unlink(&txn, key)?;
    txn.commit().embedded()
}
