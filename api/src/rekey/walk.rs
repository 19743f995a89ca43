//! The rekey walk: every sealed value of a kind not under the sealer's current key is
//! opened and sealed again under it, and replaced only if it is still the value read. A
//! value that changed meanwhile (a replica committed, retention deleted it) is met again
//! by a further pass, which only writes what is still under an older key.

use futures::stream::{self, StreamExt};
use onboard_actors::seal::Sealer;
use onboard_actors::store::{SealedKind, SealedStore, SealedValue, StoreError};

/// Values read per page.
const PAGE: usize = 200;
/// Replacements in flight at once.
const IN_FLIGHT: usize = 16;
/// Passes over one kind at most: the first, and up to two for values that changed while
/// it ran. Values under an older key after them are reported, not chased forever (a
/// replica still sealing with an older key would keep writing them).
const MAX_PASSES: usize = 3;

/// What a rekey of one kind found and did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Values sealed again under the current key.
    pub resealed: u64,
    /// Values already under the current key on the first pass.
    pub current: u64,
    /// Replacements skipped because the value changed after it was read (each met again
    /// by the next pass).
    pub changed: u64,
    /// Values that no configured key opens, on the last pass.
    pub unreadable: u64,
    /// Values still under an older key after the last pass (unreadable ones included).
    pub left: u64,
}

/// What one pass saw.
#[derive(Debug, Default)]
struct Pass {
    current: u64,
    resealed: u64,
    changed: u64,
    unreadable: u64,
}

/// What happened to one value.
enum Outcome {
    Current,
    Resealed,
    Changed,
    Unreadable,
}

/// Re-seals every value of `kind` under `sealer`'s current key; `read` is told how many
/// values each page held (for a progress bar).
pub async fn rekey_kind(
    store: &dyn SealedStore,
    sealer: &Sealer,
    kind: SealedKind,
    read: &(dyn Fn(u64) + Sync),
) -> Result<Tally, StoreError> {
    let mut tally = Tally::default();
    for number in 0..MAX_PASSES {
        let pass = one_pass(store, sealer, kind, read).await?;
        if number == 0 {
            tally.current = pass.current;
        }
        tally.resealed += pass.resealed;
        tally.changed += pass.changed;
        tally.unreadable = pass.unreadable;
        tally.left = pass.changed + pass.unreadable;
        if pass.changed == 0 {
            break;
        }
    }
    Ok(tally)
}

async fn one_pass(
    store: &dyn SealedStore,
    sealer: &Sealer,
    kind: SealedKind,
    read: &(dyn Fn(u64) + Sync),
) -> Result<Pass, StoreError> {
    let mut pass = Pass::default();
    let mut cursor: Option<String> = None;
    loop {
        let page = store.sealed_page(kind, cursor.as_deref(), PAGE).await?;
        read(page.values.len() as u64);
        let outcomes: Vec<Result<Outcome, StoreError>> = stream::iter(page.values)
            .map(|value| reseal_one(store, sealer, kind, value))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        for outcome in outcomes {
            match outcome? {
                Outcome::Current => pass.current += 1,
                Outcome::Resealed => pass.resealed += 1,
                Outcome::Changed => pass.changed += 1,
                Outcome::Unreadable => pass.unreadable += 1,
            }
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(pass),
        }
    }
}

async fn reseal_one(
    store: &dyn SealedStore,
    sealer: &Sealer,
    kind: SealedKind,
    value: SealedValue,
) -> Result<Outcome, StoreError> {
    match sealer.reseal(value.context.as_bytes(), &value.sealed) {
        Ok(None) => Ok(Outcome::Current),
        Ok(Some(new)) => {
            let replaced = store.reseal(kind, &value.key, &value.sealed, &new).await?;
            Ok(if replaced {
                Outcome::Resealed
            } else {
                Outcome::Changed
            })
        }
        Err(error) => {
            // A saga id names no person; a username's lookup is a keyed hash, left out.
            let saga_id = (kind == SealedKind::SagaState).then_some(value.key.as_str());
            tracing::warn!(kind = kind.as_str(), saga_id, %error, "sealed value not opened");
            Ok(Outcome::Unreadable)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboard_actors::store::{EmbeddedStore, NewAccount, Stores, TicketStore};

    const KEY_1: &str = "b25ib2FyZC1zYW5kYm94LXRlc3Qta2V5LTMyYnl0ZXM=";
    const KEY_2: &str = "c2Vjb25kLXNlYWxpbmcta2V5LWZvci1yb3RhdGlvbiE=";

    async fn account(tickets: &dyn TicketStore, sealer: &Sealer, n: u32) {
        let user_id = format!("usr_{n}");
        let account = NewAccount {
            lookup: format!("lookup-{n}"),
            user_id: user_id.clone(),
            sealed_username: sealer.seal_bytes(user_id.as_bytes(), b"someone"),
            password_hash: "$argon2id$hash".into(),
        };
        tickets.create_account(&account).await.expect("account");
    }

    #[tokio::test]
    async fn values_under_the_old_key_move_to_the_new_one_and_a_second_run_finds_none() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stores = Stores::of(EmbeddedStore::open(&dir.path().join("s.redb")).expect("open"));
        let old = Sealer::new(("k1", KEY_1), &[]).unwrap();
        let new = Sealer::new(("k2", KEY_2), &[("k1", KEY_1)]).unwrap();
        for n in 0..5 {
            account(stores.tickets.as_ref(), &old, n).await;
        }
        account(stores.tickets.as_ref(), &new, 5).await;
        let impostor = Sealer::new(("k1", KEY_2), &[]).unwrap();
        account(stores.tickets.as_ref(), &impostor, 6).await;

        let seen = std::sync::atomic::AtomicU64::new(0);
        let count = |n| {
            seen.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        };
        let kind = SealedKind::Username;
        let tally = rekey_kind(stores.sealed.as_ref(), &new, kind, &count)
            .await
            .expect("rekey");
        assert_eq!(
            tally,
            Tally {
                resealed: 5,
                current: 1,
                changed: 0,
                unreadable: 1,
                left: 1,
            }
        );
        assert_eq!(seen.into_inner(), 7);
        let again = rekey_kind(stores.sealed.as_ref(), &new, kind, &|_| {})
            .await
            .expect("rekey");
        assert_eq!((again.resealed, again.current, again.left), (0, 6, 1));
        let only_new = Sealer::new(("k2", KEY_2), &[]).unwrap();
        let page = stores
            .sealed
            .sealed_page(kind, None, 100)
            .await
            .expect("page");
        let opened = page
            .values
            .iter()
            .filter(|value| {
                only_new
                    .open_bytes(value.context.as_bytes(), &value.sealed)
                    .is_ok_and(|name| name == b"someone")
            })
            .count();
        assert_eq!(opened, 6);
    }
}
