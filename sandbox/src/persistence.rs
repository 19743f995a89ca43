//! The sandbox's records in redb: one table per kind, JSON values. The
//! in-memory state is rebuilt from these tables when the sandbox opens.

use std::path::Path;

use redb::{Database, ReadableTable, TableDefinition, TableHandle, WriteTransaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::bank::{Customer, SavingsCard};
use crate::error::SandboxError;
use crate::idempotency::IdempotencyRecord;
use crate::ledger::Effect;
use crate::wallet::Person;

const PERSONS: TableDefinition<&str, &[u8]> = TableDefinition::new("wallet_persons");
const CUSTOMERS: TableDefinition<&str, &[u8]> = TableDefinition::new("bank_customers");
const SAVINGS_CARDS: TableDefinition<&str, &[u8]> = TableDefinition::new("bank_savings_cards");
const IDEMPOTENCY: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");
const LEDGER: TableDefinition<u64, &[u8]> = TableDefinition::new("ledger");

/// One record to store, already encoded so the writer thread needs no state.
#[derive(Debug)]
pub(crate) enum Write {
    Person(String, Vec<u8>),
    Customer(String, Vec<u8>),
    SavingsCard(String, Vec<u8>),
    Idempotency(String, Vec<u8>),
    Effect(u64, Vec<u8>),
}

impl Write {
    pub(crate) fn person(person: &Person) -> Write {
        Write::Person(person.id_number.clone(), encode(person))
    }

    pub(crate) fn customer(customer: &Customer) -> Write {
        Write::Customer(customer.id_number.clone(), encode(customer))
    }

    pub(crate) fn savings_card(card: &SavingsCard) -> Write {
        Write::SavingsCard(card.card_number.clone(), encode(card))
    }

    pub(crate) fn idempotency(record: &IdempotencyRecord) -> Write {
        Write::Idempotency(record.scope.clone(), encode(record))
    }

    pub(crate) fn effect(position: u64, effect: &Effect) -> Write {
        Write::Effect(position, encode(effect))
    }
}

/// Everything stored, as loaded at open.
#[derive(Debug)]
pub(crate) struct Records {
    pub persons: Vec<Person>,
    pub customers: Vec<Customer>,
    pub savings_cards: Vec<SavingsCard>,
    pub idempotency: Vec<IdempotencyRecord>,
    /// In ledger order: the table is keyed by position.
    pub effects: Vec<Effect>,
}

/// Opens (creating if needed) the database file and reads every record.
pub(crate) fn open(path: &Path) -> Result<(Database, Records), SandboxError> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(SandboxError::CreateDir)?;
    }
    let database = Database::create(path).map_err(boxed)?;
    create_tables(&database)?;
    let txn = database.begin_read().map_err(boxed)?;
    let records = Records {
        persons: read_all(&txn, PERSONS)?,
        customers: read_all(&txn, CUSTOMERS)?,
        savings_cards: read_all(&txn, SAVINGS_CARDS)?,
        idempotency: read_all(&txn, IDEMPOTENCY)?,
        effects: read_all(&txn, LEDGER)?,
    };
    drop(txn);
    Ok((database, records))
}

/// Stores the writes of several requests in one transaction, so that one
/// disk sync serves them all.
pub(crate) fn commit<'a>(
    database: &Database,
    writes: impl Iterator<Item = &'a Write>,
) -> Result<(), Box<redb::Error>> {
    let mut txn = database.begin_write().map_err(boxed)?;
    // Immediate: the commit is on disk when `commit` returns, so an answer
    // given after it survives a kill -9. redb 2.6 offers nothing weaker that
    // does: `None` never writes the commit header (a killed process loses the
    // commit) and `Eventual` syncs exactly like `Immediate` on Linux. The cost
    // of the sync is shared by every request of a batch (see `journal`).
    txn.set_durability(redb::Durability::Immediate);
    insert_all(&txn, writes)?;
    txn.commit().map_err(boxed)?;
    Ok(())
}

fn insert_all<'a>(
    txn: &WriteTransaction,
    writes: impl Iterator<Item = &'a Write>,
) -> Result<(), Box<redb::Error>> {
    let mut persons = txn.open_table(PERSONS).map_err(boxed)?;
    let mut customers = txn.open_table(CUSTOMERS).map_err(boxed)?;
    let mut savings_cards = txn.open_table(SAVINGS_CARDS).map_err(boxed)?;
    let mut idempotency = txn.open_table(IDEMPOTENCY).map_err(boxed)?;
    let mut ledger = txn.open_table(LEDGER).map_err(boxed)?;
    for write in writes {
        match write {
            Write::Person(key, value) => persons.insert(key.as_str(), value.as_slice()),
            Write::Customer(key, value) => customers.insert(key.as_str(), value.as_slice()),
            Write::SavingsCard(key, value) => savings_cards.insert(key.as_str(), value.as_slice()),
            Write::Idempotency(key, value) => idempotency.insert(key.as_str(), value.as_slice()),
            Write::Effect(key, value) => ledger.insert(*key, value.as_slice()),
        }
        .map_err(boxed)?;
    }
    Ok(())
}

fn create_tables(database: &Database) -> Result<(), Box<redb::Error>> {
    let txn = database.begin_write().map_err(boxed)?;
    insert_all(&txn, std::iter::empty())?;
    txn.commit().map_err(boxed)?;
    Ok(())
}

fn read_all<K: redb::Key + 'static, T: DeserializeOwned>(
    txn: &redb::ReadTransaction,
    definition: TableDefinition<K, &[u8]>,
) -> Result<Vec<T>, SandboxError> {
    let table = txn.open_table(definition).map_err(boxed)?;
    let mut values = Vec::new();
    for entry in table.iter().map_err(boxed)? {
        let (_, value) = entry.map_err(boxed)?;
        let decoded =
            serde_json::from_slice(value.value()).map_err(|source| SandboxError::Corrupt {
                table: definition.name().to_owned(),
                source,
            })?;
        values.push(decoded);
    }
    Ok(values)
}

/// redb's error is large; boxing it keeps every result small.
fn boxed(error: impl Into<redb::Error>) -> Box<redb::Error> {
    Box::new(error.into())
}

/// The records are plain structs with string keys, which always encode.
fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("sandbox records encode as JSON")
}
