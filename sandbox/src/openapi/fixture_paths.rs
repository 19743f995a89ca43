//! The fixture, fault and inspection operations tests use to set the parties up and to
//! see what they hold: one documentation-only function each (the handlers are in
//! `fixtures.rs`, `faults.rs` and `ledger.rs`).

// The functions exist only to carry the documentation; nothing calls them.
#![allow(dead_code)]

use crate::faults::FaultRequest;
use crate::fixtures::{NewCustomer, NewSavingsCard, NewUser};
use crate::replies::{AccountOpened, BankPerson, Done, Ledger, WalletPerson};

/// A person the wallet knows, with an open account that no saga registered, the usage
/// history given (none reads as zeros) and, if asked, a savings card bound to the account
/// and issued to the person by the bank.
#[utoipa::path(post, path = "/sandbox/wallet/users", tag = "sandbox",
    request_body = NewUser,
    responses((status = 201, description = "The account opened.", body = AccountOpened)))]
pub(super) fn create_user() {}

/// A person the bank knows, optionally holding a credit account (limit 5000.00 CNY).
#[utoipa::path(post, path = "/sandbox/bank/customers", tag = "sandbox",
    request_body = NewCustomer,
    responses((status = 201, description = "Created or renamed.", body = Done)))]
pub(super) fn create_customer() {}

/// A savings card the bank issued to a person, so that `verify_savings_card` accepts it
/// for them; registering it again for the same person changes nothing.
#[utoipa::path(post, path = "/sandbox/bank/savings-cards", tag = "sandbox",
    request_body = NewSavingsCard,
    responses((status = 201, description = "Registered.", body = Done)))]
pub(super) fn create_savings_card() {}

/// Everything the wallet holds for a person, closed accounts and removed bindings included.
#[utoipa::path(get, path = "/sandbox/wallet/persons/{id_number}", tag = "sandbox",
    params(("id_number" = String, Path, min_length = 1,
        description = "The person's id number, as the wallet stored it.")),
    responses((status = 200, description = "The person's accounts (none for a stranger).",
        body = WalletPerson)))]
pub(super) fn wallet_person() {}

/// Every credit account the bank holds for a person, closed ones included.
#[utoipa::path(get, path = "/sandbox/bank/persons/{id_number}", tag = "sandbox",
    params(("id_number" = String, Path, min_length = 1,
        description = "The person's id number, as the bank stored it.")),
    responses((status = 200, description = "The person's credit accounts (none for a stranger).",
        body = BankPerson)))]
pub(super) fn bank_person() {}

/// The next `times` calls of a party operation fail as `mode` says. A call whose
/// idempotency key was already applied is answered from its record first, so only a call
/// that is not a replay consumes a fault. Faults live in memory only.
#[utoipa::path(post, path = "/sandbox/faults", tag = "sandbox",
    request_body = FaultRequest,
    responses((status = 201, description = "Queued.", body = Done)))]
pub(super) fn inject_fault() {}

/// Drops every queued fault, so a test can end a failure it started without knowing how
/// many calls consumed it.
#[utoipa::path(delete, path = "/sandbox/faults", tag = "sandbox",
    responses((status = 204, description = "Every queued fault dropped.")))]
pub(super) fn clear_faults() {}

/// Every effect the parties applied, oldest first; a replayed call adds none.
#[utoipa::path(get, path = "/sandbox/ledger", tag = "sandbox",
    responses((status = 200, description = "The ledger.", body = Ledger)))]
pub(super) fn ledger() {}
