//! Accounts and ticket families of the embedded store: one row per account, per
//! username's failures and per family, each write one redb transaction (so a rotation is
//! atomic and two concurrent ones are serialised). Rows carry their own expiry, since redb
//! has no expiring keys.

use async_trait::async_trait;
use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use super::tables::OrEmbedded;
use super::EmbeddedStore;
use crate::store::{
    clock, AccountCreated, Authorization, FamilyId, FamilyKeys, LockoutPolicy, LoginState,
    NewAccount, Rotation, StoreError, StoredAccount, TicketStore,
};

/// Username lookup hash → (user id, sealed username, password hash).
pub(super) const ACCOUNTS: TableDefinition<&str, (&str, &[u8], &str)> =
    TableDefinition::new("accounts");

/// Username lookup hash → (consecutive failures, lockout end, forget instant; Unix ms).
pub(super) const LOGIN_FAILURES: TableDefinition<&str, (u64, i64, i64)> =
    TableDefinition::new("login_failures");

/// (user id, app id) → the family as JSON ([`Family`]).
pub(super) const FAMILIES: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("ticket_families");

/// A ticket family row.
#[derive(Debug, Serialize, Deserialize)]
struct Family {
    /// The current authorization key's hash and expiry; gone once revoked.
    authorization: Option<(String, i64)>,
    /// The current refresh key's hash and expiry.
    refresh: (String, i64),
    /// Whether the family was revoked.
    revoked: bool,
    /// The refresh keys already rotated away.
    used: Vec<String>,
    /// Until when the row counts as present.
    retain_until_ms: i64,
}

/// Until when a stored family row counts as present; `None` if it does not decode.
pub(super) fn family_retained_until(row: &[u8]) -> Option<i64> {
    serde_json::from_slice::<Family>(row)
        .ok()
        .map(|family| family.retain_until_ms)
}

impl Family {
    fn new(keys: &FamilyKeys, used: Vec<String>) -> Family {
        Family {
            authorization: Some((
                keys.authorization_hash.clone(),
                keys.authorization_expires_ms,
            )),
            refresh: (keys.refresh_hash.clone(), keys.refresh_expires_ms),
            revoked: false,
            used,
            retain_until_ms: keys.retain_until_ms,
        }
    }

    fn revoke(&mut self) {
        self.revoked = true;
        self.authorization = None;
    }

    fn owns(&self, refresh_hash: &str) -> bool {
        self.refresh.0 == refresh_hash || self.used.iter().any(|used| used == refresh_hash)
    }
}

#[async_trait]
impl TicketStore for EmbeddedStore {
    async fn create_account(&self, account: &NewAccount) -> Result<AccountCreated, StoreError> {
        let account = account.clone();
        self.run(move |db| create_account(db, &account)).await
    }

    async fn login_state(&self, lookup: &str) -> Result<LoginState, StoreError> {
        let lookup = lookup.to_owned();
        self.run(move |db| login_state(db, &lookup)).await
    }

    async fn record_login_failure(
        &self,
        lookup: &str,
        now_ms: i64,
        policy: &LockoutPolicy,
    ) -> Result<u64, StoreError> {
        let (lookup, policy) = (lookup.to_owned(), *policy);
        self.run(move |db| record_login_failure(db, &lookup, now_ms, &policy))
            .await
    }

    async fn clear_login_failures(&self, lookup: &str) -> Result<(), StoreError> {
        let lookup = lookup.to_owned();
        self.run(move |db| {
            let txn = db.begin_write().embedded()?;
            txn.open_table(LOGIN_FAILURES)
                .embedded()?
                .remove(lookup.as_str())
                .embedded()?;
            txn.commit().embedded()
        })
        .await
    }

    async fn start_family(&self, family: &FamilyId, keys: &FamilyKeys) -> Result<(), StoreError> {
        let (family, keys) = (family.clone(), keys.clone());
        self.run(move |db| write_family(db, &family, &Family::new(&keys, Vec::new())))
            .await
    }

    async fn authorization(&self, family: &FamilyId) -> Result<Option<Authorization>, StoreError> {
        let family = family.clone();
        self.run(move |db| {
            let txn = db.begin_read().embedded()?;
            let table = txn.open_table(FAMILIES).embedded()?;
            let row = read_family(&table, &family, clock::now_ms())?;
            Ok(row
                .and_then(|row| row.authorization)
                .map(|(key_hash, expires_ms)| Authorization {
                    key_hash,
                    expires_ms,
                }))
        })
        .await
    }

    async fn rotate(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
        keys: &FamilyKeys,
        now_ms: i64,
    ) -> Result<Rotation, StoreError> {
        let (family, presented, keys) = (
            family.clone(),
            presented_refresh_hash.to_owned(),
            keys.clone(),
        );
        self.run(move |db| rotate(db, &family, &presented, &keys, now_ms))
            .await
    }

    async fn revoke_family(
        &self,
        family: &FamilyId,
        presented_refresh_hash: &str,
    ) -> Result<bool, StoreError> {
        let (family, presented) = (family.clone(), presented_refresh_hash.to_owned());
        self.run(move |db| revoke(db, &family, &presented)).await
    }
}

fn create_account(db: &Database, account: &NewAccount) -> Result<AccountCreated, StoreError> {
    let txn = db.begin_write().embedded()?;
    let created = {
        let mut accounts = txn.open_table(ACCOUNTS).embedded()?;
        if accounts.get(account.lookup.as_str()).embedded()?.is_some() {
            AccountCreated::Taken
        } else {
            accounts
                .insert(
                    account.lookup.as_str(),
                    (
                        account.user_id.as_str(),
                        account.sealed_username.as_slice(),
                        account.password_hash.as_str(),
                    ),
                )
                .embedded()?;
            AccountCreated::Created
        }
    };
    txn.commit().embedded()?;
    Ok(created)
}

fn login_state(db: &Database, lookup: &str) -> Result<LoginState, StoreError> {
    let txn = db.begin_read().embedded()?;
    let account = txn
        .open_table(ACCOUNTS)
        .embedded()?
        .get(lookup)
        .embedded()?
        .map(|row| {
            let (user_id, _, password_hash) = row.value();
            StoredAccount {
                user_id: user_id.to_owned(),
                password_hash: password_hash.to_owned(),
            }
        });
    let failures = txn
        .open_table(LOGIN_FAILURES)
        .embedded()?
        .get(lookup)
        .embedded()?
        .map(|row| row.value())
        .filter(|(_, _, forget_at)| *forget_at > clock::now_ms());
    Ok(LoginState {
        account,
        failures: failures.map_or(0, |(count, _, _)| count),
        locked_until_ms: failures
            .map(|(_, until, _)| until)
            .filter(|until| *until > 0),
    })
}

fn record_login_failure(
    db: &Database,
    lookup: &str,
    now_ms: i64,
    policy: &LockoutPolicy,
) -> Result<u64, StoreError> {
    // The count lapses by the store's own clock, as a Redis expiry would; the lockout is
    // measured from the caller's `now_ms`.
    let wall_ms = clock::now_ms();
    let txn = db.begin_write().embedded()?;
    let failures = {
        let mut table = txn.open_table(LOGIN_FAILURES).embedded()?;
        let (count, until) = table
            .get(lookup)
            .embedded()?
            .map(|row| row.value())
            .filter(|(_, _, forget_at)| *forget_at > wall_ms)
            .map_or((0, 0), |(count, until, _)| (count, until));
        let count = count + 1;
        let lock_ms = policy.lock_ms(count);
        let until = if lock_ms > 0 {
            clock::after(now_ms, lock_ms)
        } else {
            until
        };
        let forget_at = clock::after(wall_ms, policy.forget_after_ms);
        table.insert(lookup, (count, until, forget_at)).embedded()?;
        count
    };
    txn.commit().embedded()?;
    Ok(failures)
}

type FamilyTable<'txn> = redb::Table<'txn, (&'static str, &'static str), &'static [u8]>;

/// The family's row, unless absent or past its retention.
fn read_family(
    table: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    family: &FamilyId,
    now_ms: i64,
) -> Result<Option<Family>, StoreError> {
    let Some(row) = table
        .get((family.user_id.as_str(), family.app_id.as_str()))
        .embedded()?
    else {
        return Ok(None);
    };
    let family: Family = serde_json::from_slice(row.value())
        .map_err(|e| StoreError::Corrupt(format!("ticket family: {e}")))?;
    Ok((family.retain_until_ms > now_ms).then_some(family))
}

fn put_family(
    table: &mut FamilyTable<'_>,
    id: &FamilyId,
    family: &Family,
) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(family).expect("a family always serialises");
    table
        .insert((id.user_id.as_str(), id.app_id.as_str()), bytes.as_slice())
        .embedded()?;
    Ok(())
}

fn write_family(db: &Database, id: &FamilyId, family: &Family) -> Result<(), StoreError> {
    let txn = db.begin_write().embedded()?;
    put_family(&mut txn.open_table(FAMILIES).embedded()?, id, family)?;
    txn.commit().embedded()
}

fn rotate(
    db: &Database,
    id: &FamilyId,
    presented: &str,
    keys: &FamilyKeys,
    now_ms: i64,
) -> Result<Rotation, StoreError> {
    let txn = db.begin_write().embedded()?;
    let rotation = {
        let mut table = txn.open_table(FAMILIES).embedded()?;
        match read_family(&table, id, clock::now_ms())? {
            None => Rotation::Invalid,
            Some(mut family) if family.used.iter().any(|used| used == presented) => {
                family.revoke();
                put_family(&mut table, id, &family)?;
                Rotation::Reused
            }
            Some(family) if family.revoked || family.refresh.0 != presented => Rotation::Invalid,
            Some(family) if family.refresh.1 <= now_ms => Rotation::Expired,
            Some(family) => {
                let mut used = family.used;
                used.push(family.refresh.0);
                put_family(&mut table, id, &Family::new(keys, used))?;
                Rotation::Rotated
            }
        }
    };
    txn.commit().embedded()?;
    Ok(rotation)
}

fn revoke(db: &Database, id: &FamilyId, presented: &str) -> Result<bool, StoreError> {
    let txn = db.begin_write().embedded()?;
    let revoked = {
        let mut table = txn.open_table(FAMILIES).embedded()?;
        match read_family(&table, id, clock::now_ms())? {
            Some(mut family) if family.owns(presented) => {
                family.revoke();
                put_family(&mut table, id, &family)?;
                true
            }
            _ => false,
        }
    };
    txn.commit().embedded()?;
    Ok(revoked)
}
