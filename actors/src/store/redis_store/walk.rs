//! Walking every saga id: partition after partition, a ZSCAN step over its `all` zset at a
//! time, with SCAN's promise that every saga present for the whole walk is met at least
//! once (ids may repeat).

use super::connection::ScanPosition;
use super::layout::PARTITIONS;
use super::RedisStore;
use crate::store::StoreError;

impl RedisStore {
    /// About `limit` saga ids from `at` (`node` is the partition), and where the next step
    /// starts; `None` once every partition was walked.
    pub(super) async fn saga_ids(
        &self,
        at: ScanPosition,
        limit: usize,
    ) -> Result<(Vec<String>, Option<ScanPosition>), StoreError> {
        let partition = u32::try_from(at.node).unwrap_or(PARTITIONS);
        if partition >= PARTITIONS {
            return Ok((Vec::new(), None));
        }
        let (cursor, entries): (u64, Vec<String>) = redis::cmd("ZSCAN")
            .arg(self.partition_key(partition, "all"))
            .arg(at.cursor)
            .arg("COUNT")
            .arg(limit)
            .query_async(&mut self.con())
            .await?;
        // ZSCAN answers member, score, member, score …
        let ids = entries.into_iter().step_by(2).collect();
        let next = match cursor {
            0 if partition + 1 < PARTITIONS => Some(ScanPosition {
                node: at.node + 1,
                cursor: 0,
            }),
            0 => None,
            cursor => Some(ScanPosition {
                node: at.node,
                cursor,
            }),
        };
        Ok((ids, next))
    }
}
