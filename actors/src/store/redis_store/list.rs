//! The operators' listing: a newest-first merge of the partitions' creation-time zsets,
//! read page by page so that a listing never pulls every saga id at once. Pages are read
//! by score (creation instant) from where the last one ended, not by position, so that
//! sagas created or deleted (by retention) during the walk shift nothing.

use std::collections::{HashSet, VecDeque};

use super::layout::PARTITIONS;
use super::sagas::{decode_saga, SagaFields};
use super::RedisStore;
use crate::store::listing::Listing;
use crate::store::{ListFilter, StoreError, StoredSaga};

/// Most ids read from one partition, and most sagas loaded, per round trip.
const MAX_PAGE: usize = 100;

/// Reading position in one partition's `all` zset.
struct Cursor {
    key: String,
    /// Entries read but not merged yet, newest first, as (created_at_ms, id).
    buffered: VecDeque<(i64, String)>,
    /// The creation instant of the last entry read, where the next page starts; `None`
    /// before the first page.
    last_score: Option<i64>,
    /// How many entries with `last_score` were read already, skipped by the next page.
    read_at_last: usize,
    exhausted: bool,
}

/// Sagas matching `filter`, newest first (ties broken by id, descending).
pub(super) async fn list(
    store: &RedisStore,
    filter: &ListFilter,
) -> Result<Vec<StoredSaga>, StoreError> {
    let page = filter.effective_limit().min(MAX_PAGE);
    let mut cursors: Vec<Cursor> = (0..PARTITIONS)
        .map(|partition| Cursor {
            key: store.partition_key(partition, "all"),
            buffered: VecDeque::new(),
            last_score: None,
            read_at_last: 0,
            exhausted: false,
        })
        .collect();
    // A saga created during the walk within the last instant read may come back on a
    // later page; remembering the ids seen avoids doubles.
    let mut seen = HashSet::new();
    let mut listing = Listing::new(filter);
    loop {
        refill(store, &mut cursors, page).await?;
        if cursors.iter().all(|cursor| cursor.buffered.is_empty()) {
            return Ok(listing.into_sagas());
        }
        let ids = next_newest(&mut cursors, &mut seen, page);
        for saga in load_many(store, &ids).await? {
            if listing.offer(saga) {
                return Ok(listing.into_sagas());
            }
        }
    }
}

/// Reads the next page of every partition whose buffer ran dry, in one round trip.
async fn refill(store: &RedisStore, cursors: &mut [Cursor], page: usize) -> Result<(), StoreError> {
    let dry: Vec<usize> = (0..cursors.len())
        .filter(|&i| cursors[i].buffered.is_empty() && !cursors[i].exhausted)
        .collect();
    if dry.is_empty() {
        return Ok(());
    }
    let cmds = dry.iter().map(|&i| {
        let cursor = &cursors[i];
        let mut cmd = redis::cmd("ZREVRANGEBYSCORE");
        cmd.arg(&cursor.key);
        match cursor.last_score {
            Some(score) => cmd.arg(score),
            None => cmd.arg("+inf"),
        };
        cmd.arg("-inf")
            .arg("WITHSCORES")
            .arg("LIMIT")
            .arg(cursor.read_at_last)
            .arg(page);
        cmd
    });
    let pages: Vec<Vec<(String, f64)>> = store.con.each(cmds.collect()).await?;
    for (i, entries) in dry.into_iter().zip(pages) {
        let cursor = &mut cursors[i];
        cursor.exhausted = entries.len() < page;
        for (id, created) in entries {
            // Scores are whole milliseconds, far below 2^53, so the cast is exact.
            let created = created as i64;
            if cursor.last_score == Some(created) {
                cursor.read_at_last += 1;
            } else {
                cursor.last_score = Some(created);
                cursor.read_at_last = 1;
            }
            cursor.buffered.push_back((created, id));
        }
    }
    Ok(())
}

/// Takes up to `page` unseen ids, newest first, stopping early when a partition needs
/// refilling: its next entries could be newer than every buffered one.
fn next_newest(cursors: &mut [Cursor], seen: &mut HashSet<String>, page: usize) -> Vec<String> {
    let mut ids = Vec::new();
    while ids.len() < page {
        if cursors
            .iter()
            .any(|cursor| cursor.buffered.is_empty() && !cursor.exhausted)
        {
            break;
        }
        let newest = cursors
            .iter()
            .enumerate()
            .filter_map(|(i, cursor)| cursor.buffered.front().map(|head| (head, i)))
            .max()
            .map(|(_, i)| i);
        let Some((_, id)) = newest.and_then(|i| cursors[i].buffered.pop_front()) else {
            break;
        };
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    ids
}

/// Loads several sagas in one round trip, skipping ids that vanished.
async fn load_many(store: &RedisStore, ids: &[String]) -> Result<Vec<StoredSaga>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let cmds = ids.iter().map(|id| store.load_cmd(id)).collect();
    let replies: Vec<SagaFields> = store.con.each(cmds).await?;
    let mut sagas = Vec::with_capacity(ids.len());
    for (id, fields) in ids.iter().zip(replies) {
        if let Some(saga) = decode_saga(id, fields)? {
            sagas.push(saga);
        }
    }
    Ok(sagas)
}
