//! The ticket store's contract: accounts by lookup hash, login failures and lockouts,
//! and ticket families that rotate, detect reuse, expire and are revoked.

use std::sync::Arc;

use onboard_actors::store::{
    AccountCreated, Authorization, FamilyId, FamilyKeys, LockoutPolicy, NewAccount, Rotation,
    StoredAccount, TicketStore,
};

/// A fresh, empty ticket store of either backend.
type Tickets = Arc<dyn TicketStore>;

/// An instant well ahead of the real clock, so that retention never lapses in a case.
const NOW: i64 = 1_000_000;

fn account(lookup: &str, user_id: &str) -> NewAccount {
    NewAccount {
        lookup: lookup.into(),
        user_id: user_id.into(),
        sealed_username: vec![0, 1, 2, 255],
        password_hash: format!("$argon2id$hash-of-{user_id}"),
    }
}

fn family(app_id: &str) -> FamilyId {
    FamilyId {
        user_id: "usr_1".into(),
        app_id: app_id.into(),
    }
}

/// Keys named `n` that expire `ttl_ms` after `NOW`.
fn keys(n: u32, ttl_ms: i64) -> FamilyKeys {
    FamilyKeys {
        authorization_hash: format!("a{n}"),
        authorization_expires_ms: NOW + ttl_ms,
        refresh_hash: format!("r{n}"),
        refresh_expires_ms: NOW + 2 * ttl_ms,
        retain_until_ms: wall_clock_ms() + 3_600_000,
    }
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

fn policy() -> LockoutPolicy {
    LockoutPolicy {
        threshold: 3,
        base_ms: 1_000,
        max_ms: 5_000,
        forget_after_ms: 60_000,
    }
}

pub async fn accounts_are_created_once_and_found_by_lookup(store: Tickets) {
    let state = store.login_state("l1").await.expect("login state");
    assert_eq!(state.account, None);
    assert_eq!(
        store
            .create_account(&account("l1", "usr_1"))
            .await
            .expect("create"),
        AccountCreated::Created
    );
    assert_eq!(
        store
            .create_account(&account("l1", "usr_2"))
            .await
            .expect("create"),
        AccountCreated::Taken
    );
    let state = store.login_state("l1").await.expect("login state");
    assert_eq!(
        state.account,
        Some(StoredAccount {
            user_id: "usr_1".into(),
            password_hash: "$argon2id$hash-of-usr_1".into(),
        })
    );
    assert_eq!(state.failures, 0);
    assert_eq!(state.locked_until_ms, None);
}

pub async fn failures_lock_out_growing_and_clear(store: Tickets) {
    let policy = policy();
    for expected in 1..=2 {
        let failures = store
            .record_login_failure("l1", NOW, &policy)
            .await
            .expect("failure");
        assert_eq!(failures, expected);
        assert_eq!(store.login_state("l1").await.unwrap().locked_until_ms, None);
    }
    store
        .record_login_failure("l1", NOW, &policy)
        .await
        .unwrap();
    let state = store.login_state("l1").await.unwrap();
    assert_eq!(
        (state.failures, state.locked_until_ms),
        (3, Some(NOW + 1_000))
    );
    store
        .record_login_failure("l1", NOW, &policy)
        .await
        .unwrap();
    assert_eq!(
        store.login_state("l1").await.unwrap().locked_until_ms,
        Some(NOW + 2_000)
    );
    for _ in 0..5 {
        store
            .record_login_failure("l1", NOW, &policy)
            .await
            .unwrap();
    }
    assert_eq!(
        store.login_state("l1").await.unwrap().locked_until_ms,
        Some(NOW + 5_000),
        "capped"
    );
    // Failures of an unknown username are counted all the same; another's are apart.
    assert_eq!(store.login_state("l2").await.unwrap().failures, 0);
    store.clear_login_failures("l1").await.expect("clear");
    let state = store.login_state("l1").await.unwrap();
    assert_eq!((state.failures, state.locked_until_ms), (0, None));
}

pub async fn a_family_verifies_its_current_authorization_only(store: Tickets) {
    assert_eq!(store.authorization(&family("app-1")).await.unwrap(), None);
    store
        .start_family(&family("app-1"), &keys(1, 1_000))
        .await
        .expect("start");
    let current = Authorization {
        key_hash: "a1".into(),
        expires_ms: NOW + 1_000,
    };
    assert_eq!(
        store.authorization(&family("app-1")).await.unwrap(),
        Some(current)
    );
    assert_eq!(store.authorization(&family("app-2")).await.unwrap(), None);
    // A new login replaces the family.
    store
        .start_family(&family("app-1"), &keys(2, 1_000))
        .await
        .unwrap();
    let current = store.authorization(&family("app-1")).await.unwrap();
    assert_eq!(current.map(|a| a.key_hash), Some("a2".to_owned()));
    assert_eq!(
        store
            .rotate(&family("app-1"), "r1", &keys(3, 1_000), NOW)
            .await
            .unwrap(),
        Rotation::Invalid,
        "the replaced family's refresh key"
    );
}

pub async fn rotation_replaces_both_keys_and_reuse_revokes_the_family(store: Tickets) {
    let id = family("app-1");
    store.start_family(&id, &keys(1, 1_000)).await.unwrap();
    assert_eq!(
        store.rotate(&id, "r1", &keys(2, 1_000), NOW).await.unwrap(),
        Rotation::Rotated
    );
    let current = store.authorization(&id).await.unwrap();
    assert_eq!(current.map(|a| a.key_hash), Some("a2".to_owned()));
    assert_eq!(
        store.rotate(&id, "r2", &keys(3, 1_000), NOW).await.unwrap(),
        Rotation::Rotated
    );
    assert_eq!(
        store
            .rotate(&id, "unknown", &keys(9, 1_000), NOW)
            .await
            .unwrap(),
        Rotation::Invalid
    );
    // r1 was rotated away: presenting it again revokes the family, newest keys included.
    assert_eq!(
        store.rotate(&id, "r1", &keys(4, 1_000), NOW).await.unwrap(),
        Rotation::Reused
    );
    assert_eq!(store.authorization(&id).await.unwrap(), None);
    assert_eq!(
        store.rotate(&id, "r3", &keys(5, 1_000), NOW).await.unwrap(),
        Rotation::Invalid,
        "the newest refresh key of a revoked family"
    );
    assert_eq!(
        store.rotate(&id, "r2", &keys(6, 1_000), NOW).await.unwrap(),
        Rotation::Reused
    );
}

pub async fn an_expired_refresh_key_rotates_nothing(store: Tickets) {
    let id = family("app-1");
    store.start_family(&id, &keys(1, 1_000)).await.unwrap();
    assert_eq!(
        store
            .rotate(&id, "r1", &keys(2, 1_000), NOW + 2_000)
            .await
            .unwrap(),
        Rotation::Expired
    );
    let current = store.authorization(&id).await.unwrap();
    assert_eq!(current.map(|a| a.key_hash), Some("a1".to_owned()));
    assert_eq!(
        store
            .rotate(&id, "r1", &keys(2, 1_000), NOW + 1_999)
            .await
            .unwrap(),
        Rotation::Rotated
    );
}

pub async fn concurrent_rotations_with_one_key_one_wins(store: Tickets) {
    let id = family("app-1");
    for round in 0..10 {
        store
            .start_family(&id, &keys(round * 10, 1_000))
            .await
            .unwrap();
        let presented = format!("r{}", round * 10);
        let attempts = (1..=4).map(|n| {
            let (store, id, presented) = (store.clone(), id.clone(), presented.clone());
            tokio::spawn(async move {
                store
                    .rotate(&id, &presented, &keys(round * 10 + n, 1_000), NOW)
                    .await
                    .expect("rotate")
            })
        });
        let outcomes: Vec<Rotation> = futures::future::join_all(attempts)
            .await
            .into_iter()
            .map(|joined| joined.expect("task"))
            .collect();
        let rotated = outcomes.iter().filter(|o| **o == Rotation::Rotated).count();
        let reused = outcomes.iter().filter(|o| **o == Rotation::Reused).count();
        assert_eq!((rotated, reused), (1, 3), "round {round}: {outcomes:?}");
        assert_eq!(store.authorization(&id).await.unwrap(), None, "revoked");
    }
}

pub async fn revoking_needs_one_of_the_familys_refresh_keys(store: Tickets) {
    let id = family("app-1");
    assert!(!store.revoke_family(&id, "r1").await.unwrap(), "no family");
    store.start_family(&id, &keys(1, 1_000)).await.unwrap();
    assert!(!store.revoke_family(&id, "other").await.unwrap());
    assert!(store.authorization(&id).await.unwrap().is_some());
    assert!(store.revoke_family(&id, "r1").await.unwrap());
    assert_eq!(store.authorization(&id).await.unwrap(), None);
    assert_eq!(
        store.rotate(&id, "r1", &keys(2, 1_000), NOW).await.unwrap(),
        Rotation::Invalid
    );
    assert!(
        store.revoke_family(&id, "r1").await.unwrap(),
        "again: still its key"
    );
}

/// Writes two families of one user and the account and failures of one username; answers
/// the Redis keys (after the prefix) they must take: the user's families under the user's
/// hash tag, the username's two keys under its own.
pub async fn keys_of_one_user_and_username(store: &dyn TicketStore) -> Vec<String> {
    store
        .start_family(&family("app-1"), &keys(1, 1_000))
        .await
        .unwrap();
    store
        .start_family(&family("app-2"), &keys(2, 1_000))
        .await
        .unwrap();
    store.create_account(&account("l1", "usr_1")).await.unwrap();
    store
        .record_login_failure("l1", NOW, &policy())
        .await
        .unwrap();
    [
        ":acct:{l1}",
        ":acct:{l1}:fails",
        ":tkt:{usr_1}:app-1",
        ":tkt:{usr_1}:app-2",
    ]
    .map(String::from)
    .to_vec()
}

/// An account, a username's failure count and a ticket family, the last two living
/// `lifetime_ms` from now: records a retention sweep must find once they expired.
pub async fn expiring_records(store: &Tickets, lifetime_ms: u64) {
    store
        .create_account(&account("expiring", "usr_exp"))
        .await
        .expect("create");
    let policy = LockoutPolicy {
        forget_after_ms: lifetime_ms,
        ..policy()
    };
    store
        .record_login_failure("expiring", NOW, &policy)
        .await
        .expect("failure");
    let keys = FamilyKeys {
        retain_until_ms: wall_clock_ms() + lifetime_ms as i64,
        ..keys(1, 1_000)
    };
    store
        .start_family(&family("app-exp"), &keys)
        .await
        .expect("family");
}
