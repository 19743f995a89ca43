//! API idempotency records of the Redis backend: one hash per key (`st` state, `fp`
//! request fingerprint, `rs` response, `sg` the saga the response is about) whose Redis
//! expiry is the record's lifetime. A record about a saga is also named in the saga's
//! `idem_of` set, so that retention deletes it with the saga.

use std::sync::LazyLock;

use async_trait::async_trait;
use redis::Script;

use super::{unexpected_code, RedisStore, LATE};
use crate::store::{Completion, IdempotencyClaim, IdempotencyStore, StoreError};

static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(concat!(
        include_str!("deadline.lua"),
        include_str!("claim.lua")
    ))
});

#[async_trait]
impl IdempotencyStore for RedisStore {
    /// One script, so two claims never both win.
    async fn claim(
        &self,
        key: &str,
        fingerprint: &[u8],
        in_flight_ttl_ms: u64,
    ) -> Result<IdempotencyClaim, StoreError> {
        // Redis refuses an expiry of 0; the shortest one it accepts behaves the same.
        let (code, fingerprint, response): (i64, Vec<u8>, Vec<u8>) = CLAIM
            .key(self.idempotency_key(key))
            .arg(fingerprint)
            .arg(in_flight_ttl_ms.max(1))
            .arg(self.apply_by_ms())
            .invoke_async(&mut self.con())
            .await?;
        match code {
            LATE => Err(StoreError::Late {
                operation: "idempotency claim",
            }),
            0 => Ok(IdempotencyClaim::Claimed),
            1 => Ok(IdempotencyClaim::InFlight { fingerprint }),
            2 => Ok(IdempotencyClaim::Completed {
                fingerprint,
                response,
            }),
            other => Err(unexpected_code("idempotency claim", other)),
        }
    }

    /// One MULTI, so no reader sees half a record. A record about a saga is named in the
    /// saga's set first (within the MULTI on one server; before it on a cluster, where the
    /// set lives in another slot), so that no record about a saga escapes its retention.
    async fn complete(&self, completion: &Completion<'_>) -> Result<(), StoreError> {
        let key = self.idempotency_key(completion.key);
        let link = completion.saga_id.map(|id| {
            let mut cmd = redis::cmd("SADD");
            cmd.arg(self.saga_keys(id).replays).arg(&key);
            cmd
        });
        let mut pipe = redis::pipe();
        pipe.atomic();
        match link {
            Some(link) if self.con.is_cluster() => {
                link.query_async::<()>(&mut self.con()).await?;
            }
            Some(link) => {
                pipe.add_command(link).ignore();
            }
            None => {}
        }
        pipe.cmd("DEL").arg(&key).ignore();
        let record = pipe
            .cmd("HSET")
            .arg(&key)
            .arg("st")
            .arg("completed")
            .arg("fp")
            .arg(completion.fingerprint)
            .arg("rs")
            .arg(completion.response);
        if let Some(id) = completion.saga_id {
            record.arg("sg").arg(id);
        }
        record.ignore();
        // Redis refuses an expiry of 0; the shortest one it accepts behaves the same.
        pipe.cmd("PEXPIRE")
            .arg(&key)
            .arg(completion.ttl_ms.max(1))
            .ignore();
        pipe.query_async::<()>(&mut self.con()).await?;
        Ok(())
    }

    async fn release(&self, key: &str) -> Result<(), StoreError> {
        redis::cmd("DEL")
            .arg(self.idempotency_key(key))
            .query_async::<()>(&mut self.con())
            .await?;
        Ok(())
    }
}
