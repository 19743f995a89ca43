//! The storage contract, one module per store, written once and run against both
//! backends, plus the few properties that only one backend has (the Redis key layout,
//! the embedded file).

#[path = "store_contract/attempts.rs"]
mod attempts;
#[path = "store_contract/fixtures.rs"]
mod fixtures;
#[path = "store_contract/idempotency.rs"]
mod idempotency;
#[path = "store_contract/indexes.rs"]
mod indexes;
#[path = "store_contract/key_pins.rs"]
mod key_pins;
#[path = "store_contract/leases.rs"]
mod leases;
#[path = "store_contract/links.rs"]
mod links;
#[path = "store_contract/pairing.rs"]
mod pairing;
#[path = "store_contract/retention.rs"]
mod retention;
#[path = "store_contract/sagas.rs"]
mod sagas;
#[path = "store_contract/sealed.rs"]
mod sealed;
#[path = "store_contract/tickets.rs"]
mod tickets;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;
use onboard_actors::store::{
    EmbeddedStore, IndexMember, IndexStore, RedisStore, SagaStore, StoreError, Stores,
};

/// The time limit the contract's Redis stores give their writes: generous, as the
/// contract is about what the operations do, not how fast.
const TIMEOUT: Duration = Duration::from_secs(10);

fn redis_url() -> String {
    std::env::var("ONBOARD_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A key prefix of its own per test, so tests run in parallel on one server.
fn unique_prefix() -> String {
    format!("test:{}", uuid::Uuid::new_v4())
}

async fn with_embedded<F, Fut>(case: F)
where
    F: FnOnce(Stores) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("data").join("store.redb")).expect("open");
    case(Stores::of(store)).await;
}

async fn with_redis<F, Fut>(case: F)
where
    F: FnOnce(Stores) -> Fut,
    Fut: Future<Output = ()>,
{
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    // Clean up even when the case fails, then fail as it did.
    let outcome = AssertUnwindSafe(case(Stores::of(store)))
        .catch_unwind()
        .await;
    delete_keys(&prefix).await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

async fn redis_connection() -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis_url())
        .expect("redis url")
        .get_multiplexed_async_connection()
        .await
        .expect("connect to the test Redis")
}

async fn keys_under(prefix: &str) -> Vec<String> {
    let mut con = redis_connection().await;
    let mut keys = Vec::new();
    let mut cursor = 0_u64;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:*"))
            .arg("COUNT")
            .arg(1000)
            .query_async(&mut con)
            .await
            .expect("scan");
        keys.extend(batch);
        if next == 0 {
            return keys;
        }
        cursor = next;
    }
}

async fn delete_keys(prefix: &str) {
    let keys = keys_under(prefix).await;
    if keys.is_empty() {
        return;
    }
    let mut con = redis_connection().await;
    redis::cmd("DEL")
        .arg(keys)
        .query_async::<()>(&mut con)
        .await
        .expect("delete test keys");
}

/// Runs each case of the module `$cases` against both backends, as the tests
/// `contract::$cases::embedded::case` and `contract::$cases::redis::case`, handing each
/// case the part of the stores that `$part` picks (the case's argument).
macro_rules! contract {
    ($cases:ident takes $part:expr; $($case:ident),+ $(,)?) => {
        mod $cases {
            mod embedded {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        crate::with_embedded(|stores| crate::$cases::$case($part(stores))).await;
                    }
                )+
            }

            mod redis {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $case() {
                        crate::with_redis(|stores| crate::$cases::$case($part(stores))).await;
                    }
                )+
            }
        }
    };
}

mod contract {
    contract!(
        sagas takes |stores: crate::Stores| stores.sagas;
        insert_then_load,
        insert_twice_keeps_the_original,
        the_trace_context_stays_with_the_saga,
        commit_bumps_the_version,
        stale_commit_changes_nothing,
        commit_on_missing_saga_is_not_found,
        journal_keeps_order,
        timers_follow_set_keep_clear,
        due_timers_are_claimed_in_order_and_held,
        armed_timers_are_counted,
        active_set_follows_status,
        a_paused_saga_leaves_the_active_set_and_lists_as_paused,
        list_filters_newest_first,
        list_pages_through_many_sagas,
        list_pages_through_sagas_created_in_one_instant,
        concurrent_commits_one_wins,
    );

    // Index rows are written by saga writes: these cases hold both stores.
    contract!(
        indexes takes |stores: crate::Stores| stores;
        rows_come_and_go_with_saga_writes,
        refused_writes_change_no_rows,
        members_point_at_their_sagas,
    );

    contract!(
        idempotency takes |stores: crate::Stores| stores.idempotency;
        claim_complete_release,
        claims_lapse,
    );

    contract!(
        attempts takes |stores: crate::Stores| stores.attempts;
        attempts_count_within_their_window,
        attempt_windows_lapse,
    );

    contract!(
        key_pins takes |stores: crate::Stores| stores.key_pins;
        the_first_pin_is_kept,
        a_replaced_pin_is_kept_from_then_on,
        concurrent_first_pins_agree_on_one,
    );

    contract!(
        tickets takes |stores: crate::Stores| stores.tickets;
        accounts_are_created_once_and_found_by_lookup,
        failures_lock_out_growing_and_clear,
        a_family_verifies_its_current_authorization_only,
        rotation_replaces_both_keys_and_reuse_revokes_the_family,
        an_expired_refresh_key_rotates_nothing,
        concurrent_rotations_with_one_key_one_wins,
        revoking_needs_one_of_the_familys_refresh_keys,
    );

    contract!(
        retention takes |stores: crate::Stores| stores;
        finished_sagas_go_whole_after_their_period,
        purges_go_oldest_first_and_stop_at_their_limit,
        concurrent_purges_count_each_saga_once,
        a_key_used_again_for_another_saga_stays_with_it,
        a_backfill_walks_every_saga_and_indexes_none_twice,
        lapsed_links_go_after_their_period_and_exchanged_ones_stay,
        revoked_accounts_are_forgotten_after_their_period,
    );

    contract!(
        sealed takes |stores: crate::Stores| stores;
        a_walk_meets_every_sealed_value,
        a_reseal_replaces_only_the_bytes_read,
        links_and_virtual_accounts_are_walked_and_resealed,
    );

    contract!(
        pairing takes |stores: crate::Stores| stores.pairing;
        codes_differ_among_overlapping_ranges,
        codes_with_one_seed_at_one_place_still_differ,
        concurrent_issues_a_few_metres_apart_never_share_a_code,
        a_claim_in_range_gets_the_record_once,
        far_wrong_and_own_claims_find_nothing_and_consume_nothing,
        a_new_code_replaces_the_accounts_live_one,
        expired_codes_cannot_be_claimed,
        a_range_across_a_cell_boundary_is_found_from_both_sides,
    );

    contract!(
        links takes |stores: crate::Stores| stores.links;
        a_link_is_pending_until_exchanged_and_completed,
        a_token_is_spent_once_and_only_while_live,
        one_active_virtual_account_per_merchant_and_account,
        only_the_minted_virtual_account_completes_a_link,
        revocation_is_the_wallets_and_frees_the_pair,
        concurrent_exchanges_of_one_token_spend_it_once,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_leases_have_one_live_owner_and_fence_a_takeover() {
    with_redis(leases::one_live_owner_then_a_fenced_takeover).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_leases_are_renewed_and_released() {
    with_redis(leases::renewal_keeps_and_a_final_commit_releases).await;
}

#[tokio::test]
async fn redis_pairing_keys_share_one_hash_tag_and_expired_codes_leave_the_index() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let codes: std::sync::Arc<dyn onboard_actors::store::PairingStore> = std::sync::Arc::new(store);
    let place = pairing::at(31.2304, 121.4737);
    pairing::issue(&codes, "pa_short", place, 50).await;
    let keys = keys_under(&prefix).await;
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|key| key.contains(":{pair}:")), "{keys:?}");

    tokio::time::sleep(Duration::from_millis(150)).await;
    // Any later script sweeps the expired code out of its cell, wherever it is.
    pairing::issue(&codes, "pa_other", pairing::at(-33.86, 151.21), 60_000).await;
    let mut con = redis_connection().await;
    let cell_keys: Vec<String> = keys_under(&prefix)
        .await
        .into_iter()
        .filter(|key| key.contains(":cell:"))
        .collect();
    let mut members = 0_u64;
    for key in &cell_keys {
        let count: u64 = redis::cmd("ZCARD")
            .arg(key)
            .query_async(&mut con)
            .await
            .expect("zcard");
        members += count;
    }
    delete_keys(&prefix).await;
    assert_eq!(members, 1, "{cell_keys:?}");
}

#[tokio::test]
async fn redis_keys_of_one_saga_share_one_hash_tag() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let mut saga = fixtures::running_saga("tagged", 1_000);
    saga.index = vec![fixtures::row("prompts:pa_1", "p-1")];
    store.insert(&saga).await.expect("insert");
    let keys = keys_under(&prefix).await;
    delete_keys(&prefix).await;

    // saga, journal, timers, active, all, leases and the index row: every key the
    // script wrote.
    assert_eq!(keys.len(), 7, "{keys:?}");
    let tags: Vec<&str> = keys
        .iter()
        .map(|key| {
            let open = key.find('{').expect("hash tag opens");
            let close = key[open..].find('}').expect("hash tag closes") + open;
            &key[open + 1..close]
        })
        .collect();
    assert!(tags.iter().all(|tag| *tag == tags[0]), "{keys:?}");
    assert!(tags[0].starts_with('p') && tags[0].len() == 3, "{keys:?}");
}

#[tokio::test]
async fn redis_keys_of_one_user_or_username_share_a_hash_tag() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let keys = tickets::keys_of_one_user_and_username(&store).await;
    let stored = keys_under(&prefix).await;
    delete_keys(&prefix).await;
    let mut stored: Vec<String> = stored
        .into_iter()
        .map(|key| key[prefix.len()..].to_owned())
        .collect();
    stored.sort();
    assert_eq!(stored, keys);
}

#[tokio::test]
async fn redis_refuses_braces_in_the_key_prefix() {
    let refused = RedisStore::connect(&redis_url(), "bad{prefix}", TIMEOUT).await;
    assert!(matches!(refused, Err(StoreError::Redis(_))));
}

#[tokio::test]
async fn embedded_store_survives_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.redb");
    {
        let store = EmbeddedStore::open(&path).expect("open");
        let mut saga = fixtures::running_saga("durable", 1_000);
        saga.index = vec![fixtures::row("owner:bank", "durable")];
        store.insert(&saga).await.expect("insert");
    }
    let store = EmbeddedStore::open(&path).expect("reopen");
    let saga = store
        .load("durable")
        .await
        .expect("load")
        .expect("saga kept");
    assert_eq!(saga.version, 1);
    assert_eq!(store.journal("durable").await.expect("journal").len(), 1);
    assert_eq!(store.active().await.expect("active"), vec!["durable"]);
    assert_eq!(
        store
            .claim_due_timers(i64::MAX, 10, fixtures::HOLD)
            .await
            .expect("timers")
            .len(),
        1
    );
    assert_eq!(
        store.members("owner:bank").await.expect("index"),
        vec![IndexMember {
            member: "durable".into(),
            saga_id: "durable".into(),
        }]
    );
}

/// Every key under `prefix` with its whole value (fields and values, members, entries).
async fn dump(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut con = redis_connection().await;
    let mut dumped = Vec::new();
    for key in keys_under(prefix).await {
        let kind: String = redis::cmd("TYPE")
            .arg(&key)
            .query_async(&mut con)
            .await
            .expect("type");
        let parts: Vec<Vec<u8>> = match kind.as_str() {
            "string" => vec![redis::cmd("GET")
                .arg(&key)
                .query_async(&mut con)
                .await
                .expect("get")],
            "hash" => redis::cmd("HGETALL")
                .arg(&key)
                .query_async(&mut con)
                .await
                .expect("hgetall"),
            "set" => redis::cmd("SMEMBERS")
                .arg(&key)
                .query_async(&mut con)
                .await
                .expect("smembers"),
            "zset" => redis::cmd("ZRANGE")
                .arg(&key)
                .arg(0)
                .arg(-1)
                .query_async(&mut con)
                .await
                .expect("zrange"),
            "list" => redis::cmd("LRANGE")
                .arg(&key)
                .arg(0)
                .arg(-1)
                .query_async(&mut con)
                .await
                .expect("lrange"),
            other => panic!("unexpected key type {other} of {key}"),
        };
        dumped.push((key, parts.concat()));
    }
    dumped
}

#[tokio::test]
async fn redis_purge_leaves_no_key_or_member_naming_the_saga() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let stores = Stores::of(store);
    let id = "wf_gone";
    let mut saga = fixtures::running_saga(id, 1_000);
    saga.index = vec![fixtures::row("prompts:pa_9", "wf_gone-p1")];
    stores.sagas.insert(&saga).await.expect("insert");
    stores
        .leases
        .acquire(id, "test-replica", 60_000)
        .await
        .expect("lease");
    let done = fixtures::step(
        id,
        1,
        onboard_workflows::SagaStatus::Completed,
        onboard_actors::store::TimerChange::Keep,
    );
    stores.sagas.commit(&done).await.expect("finish");
    stores
        .idempotency
        .claim("k", b"fp", 60_000)
        .await
        .expect("claim");
    let completion = onboard_actors::store::Completion {
        key: "k",
        fingerprint: b"fp",
        response: b"{\"id\":\"wf_gone\"}",
        ttl_ms: 60_000,
        saga_id: Some(id),
    };
    stores
        .idempotency
        .complete(&completion)
        .await
        .expect("complete");
    let before = dump(&prefix).await;
    assert!(before.iter().any(|(key, _)| key.contains(id)));

    let purged = stores
        .retention
        .purge_finished(10_000, 10)
        .await
        .expect("purge");
    let after = dump(&prefix).await;
    delete_keys(&prefix).await;
    assert_eq!((purged.sagas, purged.idempotency), (1, 1));
    let left: Vec<&String> = after
        .iter()
        .filter(|(key, value)| key.contains(id) || String::from_utf8_lossy(value).contains(id))
        .map(|(key, _)| key)
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn redis_records_that_expire_carry_an_expiry() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let stores = Stores::of(store);
    stores
        .idempotency
        .claim("in-flight", b"fp", 60_000)
        .await
        .expect("claim");
    stores
        .idempotency
        .claim("done", b"fp", 60_000)
        .await
        .expect("claim");
    let completion = onboard_actors::store::Completion {
        key: "done",
        fingerprint: b"fp",
        response: b"r",
        ttl_ms: 60_000,
        saga_id: None,
    };
    stores
        .idempotency
        .complete(&completion)
        .await
        .expect("complete");
    stores
        .attempts
        .count_attempt("tries", 60_000)
        .await
        .expect("count");
    tickets::expiring_records(&stores.tickets, 60_000).await;
    pairing::issue(&stores.pairing, "pa_1", pairing::at(31.2, 121.4), 60_000).await;

    let mut con = redis_connection().await;
    let mut without_expiry = Vec::new();
    for key in keys_under(&prefix).await {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(&key)
            .query_async(&mut con)
            .await
            .expect("pttl");
        // Accounts live until deleted; everything else made here expires.
        let account = key.contains(":acct:") && key.ends_with('}');
        if ttl < 0 && !account {
            without_expiry.push(key);
        }
    }
    delete_keys(&prefix).await;
    assert!(without_expiry.is_empty(), "{without_expiry:?}");
}

#[tokio::test]
async fn embedded_store_sweeps_what_expired_and_keeps_the_rest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stores = Stores::of(EmbeddedStore::open(&dir.path().join("store.redb")).expect("open"));
    for (key, ttl_ms) in [("short", 1), ("long", 60_000)] {
        stores
            .idempotency
            .claim(key, b"fp", 60_000)
            .await
            .expect("claim");
        let completion = onboard_actors::store::Completion {
            key,
            fingerprint: b"fp",
            response: b"r",
            ttl_ms,
            saga_id: None,
        };
        stores
            .idempotency
            .complete(&completion)
            .await
            .expect("complete");
        stores
            .attempts
            .count_attempt(key, ttl_ms)
            .await
            .expect("count");
    }
    tickets::expiring_records(&stores.tickets, 1).await;
    pairing::issue(&stores.pairing, "pa_1", pairing::at(31.2, 121.4), 1).await;
    let now_ms = chrono::Utc::now().timestamp_millis();
    for (id, ttl_ms) in [("lnk_short", 1), ("lnk_long", 60_000)] {
        let link = onboard_actors::store::NewLink {
            id: id.into(),
            merchant_id: "m-1".into(),
            sealed_user_ref: vec![1],
            token_hash: format!("hash-of-{id}"),
            created_at_ms: now_ms,
            expires_at_ms: now_ms + ttl_ms,
        };
        stores.links.create_link(&link).await.expect("create link");
    }
    tokio::time::sleep(Duration::from_millis(50)).await;

    // A limit of 1 takes one of each kind per sweep; sweeps go on until none is left.
    let mut total = onboard_actors::store::Purged::default();
    for _ in 0..10 {
        total += stores.retention.purge_expired(1).await.expect("purge");
    }
    assert_eq!(
        total,
        onboard_actors::store::Purged {
            sagas: 0,
            idempotency: 1,
            counters: 2,
            ticket_families: 1,
            pairing_codes: 1,
            links: 0,
            link_tokens: 1,
            revoked_accounts: 0,
        }
    );
    let candidate = onboard_actors::store::NewVirtualAccount {
        id: "va_1".into(),
        sealed_account: b"sealed".to_vec(),
        account_key: "acct-a".into(),
        wallet_id: "wallet-1".into(),
        created_at_ms: now_ms,
    };
    let exchanged = stores
        .links
        .exchange("hash-of-lnk_long", &candidate, now_ms + 1)
        .await
        .expect("exchange");
    assert!(
        matches!(exchanged, onboard_actors::store::Exchanged::Minted { .. }),
        "a live token stays: {exchanged:?}"
    );
    assert!(matches!(
        stores
            .idempotency
            .claim("long", b"fp", 60_000)
            .await
            .expect("claim"),
        onboard_actors::store::IdempotencyClaim::Completed { .. }
    ));
    assert_eq!(stores.attempts.attempts("long").await.expect("attempts"), 1);
    assert_eq!(
        stores.retention.purge_expired(100).await.expect("purge"),
        onboard_actors::store::Purged::default()
    );
}

#[tokio::test]
async fn redis_sagas_finished_before_the_index_are_backfilled_then_purged() {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&redis_url(), &prefix, TIMEOUT)
        .await
        .expect("connect to the test Redis");
    let stores = Stores::of(store);
    retention::finish_some(&stores, 9).await;
    // What an older version left: no finished index.
    let mut con = redis_connection().await;
    for key in keys_under(&prefix).await {
        if key.ends_with(":finished") {
            redis::cmd("DEL")
                .arg(&key)
                .query_async::<()>(&mut con)
                .await
                .expect("del");
        }
    }
    let before = stores.retention.purge_finished(10_000, 100).await;
    let indexed = retention::backfill(&stores, 4).await;
    let after = stores.retention.purge_finished(10_000, 100).await;
    let left = stores
        .sagas
        .list(&onboard_actors::store::ListFilter::default())
        .await
        .expect("list");
    delete_keys(&prefix).await;
    assert_eq!(before.expect("purge").sagas, 0);
    assert_eq!(indexed, 9);
    assert_eq!(after.expect("purge").sagas, 9);
    assert_eq!(left.len(), 9);
    assert!(left.iter().all(|saga| saga.id.starts_with('w')));
}

#[tokio::test]
async fn embedded_sagas_finished_before_the_index_are_backfilled_then_purged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.redb");
    {
        let stores = Stores::of(EmbeddedStore::open(&path).expect("open"));
        retention::finish_some(&stores, 9).await;
    }
    // What an older version left: no finished index.
    {
        let db = redb::Database::create(&path).expect("open the file");
        let txn = db.begin_write().expect("write");
        let finished: redb::TableDefinition<(i64, &str), ()> =
            redb::TableDefinition::new("finished");
        let finished_at: redb::TableDefinition<&str, i64> =
            redb::TableDefinition::new("finished_at");
        assert!(txn.delete_table(finished).expect("delete"));
        assert!(txn.delete_table(finished_at).expect("delete"));
        txn.commit().expect("commit");
    }
    let stores = Stores::of(EmbeddedStore::open(&path).expect("reopen"));
    let purge = stores.retention.purge_finished(10_000, 100).await;
    assert_eq!(purge.expect("purge").sagas, 0);
    assert_eq!(retention::backfill(&stores, 4).await, 9);
    let purged = stores.retention.purge_finished(10_000, 100).await;
    assert_eq!(purged.expect("purge").sagas, 9);
    let left = stores
        .sagas
        .list(&onboard_actors::store::ListFilter::default())
        .await
        .expect("list");
    assert_eq!(left.len(), 9);
    assert!(left.iter().all(|saga| saga.id.starts_with('w')));
}
