//! The parties' state in memory, and what guards it. Handlers read and change
//! it under one mutex, which is also what keeps concurrent duplicates of a call
//! from both applying.

use std::collections::HashMap;

use crate::bank::Bank;
use crate::idempotency::IdempotencyRecord;
use crate::journal::Journal;
use crate::ledger::Ledger;
use crate::persistence::Records;
use crate::wallet::Wallet;

/// Everything the simulated parties hold.
#[derive(Debug)]
pub(crate) struct State {
    pub wallet: Wallet,
    pub bank: Bank,
    /// Keyed by idempotency scope (party, operation, key).
    pub idempotency: HashMap<String, IdempotencyRecord>,
    pub ledger: Ledger,
}

impl State {
    /// Rebuilds the state from what the database holds.
    pub(crate) fn from_records(records: Records) -> State {
        State {
            wallet: Wallet::from_persons(records.persons),
            bank: Bank::from_records(records.customers, records.savings_cards),
            idempotency: records
                .idempotency
                .into_iter()
                .map(|record| (record.scope.clone(), record))
                .collect(),
            ledger: Ledger::from_effects(records.effects),
        }
    }
}

/// What the mutex guards: the state with the journal that persists its
/// changes, so that changes are queued in the order they were made.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: State,
    pub journal: Journal,
}
