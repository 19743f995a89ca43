//! The parties' operations, as the orchestrator's connector calls them: one
//! documentation-only function each (the handlers are in `*_routes.rs`). Error responses
//! come from `super::OPERATIONS`.

// The functions exist only to carry the documentation; nothing calls them.
#![allow(dead_code)]

use crate::bank_routes::{CardCheck, CreateCreditAccount, CreditAccountRef, RealName};
use crate::replies::{
    AccountOpened, AccountProfile, Bound, Charged, CreditAccountOpened, CreditLookup, Done,
    PersonLookup, RealNameRecord, SavingsStatus, SecurityRule, Verified,
};
use crate::wallet_charge_routes::Charge;
use crate::wallet_credit_routes::BindSavingsCard;
use crate::wallet_routes::{AccountRef, BindCard, BindingRef, LookupPerson, RegisterAccount};

/// Wallet: the person's open payment account, looked up by id number. Not an effect.
#[utoipa::path(post, path = "/sandbox/wallet/lookup_person", tag = "sandbox",
    request_body = LookupPerson,
    responses((status = 200, description = "The open account, or null.", body = PersonLookup)))]
pub(super) fn lookup_person() {}

/// Wallet: registers a payment account for a person who holds no open one.
#[utoipa::path(post, path = "/sandbox/wallet/register_account", tag = "sandbox",
    request_body = RegisterAccount,
    responses((status = 200, description = "The account opened.", body = AccountOpened)))]
pub(super) fn register_account() {}

/// Wallet: closes a payment account; closing a closed one changes nothing.
#[utoipa::path(post, path = "/sandbox/wallet/close_account", tag = "sandbox",
    request_body = AccountRef,
    responses((status = 200, description = "Closed.", body = Done)))]
pub(super) fn close_account() {}

/// Wallet: binds a card to an open payment account.
#[utoipa::path(post, path = "/sandbox/wallet/bind_card", tag = "sandbox",
    request_body = BindCard,
    responses((status = 200, description = "The binding made.", body = Bound)))]
pub(super) fn bind_card() {}

/// Wallet: removes a binding; removing a removed one changes nothing.
#[utoipa::path(post, path = "/sandbox/wallet/unbind_card", tag = "sandbox",
    request_body = BindingRef,
    responses((status = 200, description = "Removed.", body = Done)))]
pub(super) fn unbind_card() {}

/// Wallet: whether binding a card to this account needs a security prompt (yes for every
/// account a saga registered, no for one that already existed). Not an effect.
#[utoipa::path(post, path = "/sandbox/wallet/security_rule", tag = "sandbox",
    request_body = AccountRef,
    responses((status = 200, description = "The rule's verdict.", body = SecurityRule)))]
pub(super) fn security_rule() {}

/// Wallet: the display name of an open account's holder, shown (masked) to whoever claims
/// the account's pairing code. Not an effect.
#[utoipa::path(post, path = "/sandbox/wallet/account_profile", tag = "sandbox",
    request_body = AccountRef,
    responses((status = 200, description = "The holder's display name.", body = AccountProfile)))]
pub(super) fn account_profile() {}

/// Wallet: charges an open payment account for a merchant's service request (seed 000);
/// any amount above 10,000.00 is refused with `insufficient_funds`.
#[utoipa::path(post, path = "/sandbox/wallet/charge", tag = "sandbox",
    request_body = Charge,
    responses((status = 200, description = "The charge made.", body = Charged)))]
pub(super) fn charge() {}

/// Wallet: the real name, id number and usage history of an open account's holder. Not an
/// effect.
#[utoipa::path(post, path = "/sandbox/wallet/real_name_record", tag = "sandbox",
    request_body = AccountRef,
    responses((status = 200, description = "The holder's record.", body = RealNameRecord)))]
pub(super) fn real_name_record() {}

/// Wallet: the savings binding in force on an open account, if any. Not an effect.
#[utoipa::path(post, path = "/sandbox/wallet/savings_status", tag = "sandbox",
    request_body = AccountRef,
    responses((status = 200, description = "The savings binding, or nulls.", body = SavingsStatus)))]
pub(super) fn savings_status() {}

/// Wallet: binds a savings card to an open account that has no savings binding in force.
#[utoipa::path(post, path = "/sandbox/wallet/bind_savings_card", tag = "sandbox",
    request_body = BindSavingsCard,
    responses((status = 200, description = "The binding made.", body = Bound)))]
pub(super) fn bind_savings_card() {}

/// Bank: confirms that a card belongs to the person. Card `4000000000000002` (and every
/// number starting with it) is declined. Not an effect.
#[utoipa::path(post, path = "/sandbox/bank/verify_card", tag = "sandbox",
    request_body = CardCheck,
    responses((status = 200, description = "The card is verified.", body = Verified)))]
pub(super) fn verify_card() {}

/// Bank: confirms that a card is a savings card it issued to the person (registered by a
/// fixture). Not an effect.
#[utoipa::path(post, path = "/sandbox/bank/verify_savings_card", tag = "sandbox",
    request_body = CardCheck,
    responses((status = 200, description = "The savings card is verified.", body = Verified)))]
pub(super) fn verify_savings_card() {}

/// Bank: the person's active credit account, if any. Not an effect.
#[utoipa::path(post, path = "/sandbox/bank/credit_account_lookup", tag = "sandbox",
    request_body = RealName,
    responses((status = 200, description = "The active credit account, or nulls.", body = CreditLookup)))]
pub(super) fn credit_account_lookup() {}

/// Bank: opens a credit account with the limit the usage history earns, for a person who
/// holds no active one.
#[utoipa::path(post, path = "/sandbox/bank/create_credit_account", tag = "sandbox",
    request_body = CreateCreditAccount,
    responses((status = 200, description = "The account opened.", body = CreditAccountOpened)))]
pub(super) fn create_credit_account() {}

/// Bank: closes a credit account; closing a closed one changes nothing.
#[utoipa::path(post, path = "/sandbox/bank/close_credit_account", tag = "sandbox",
    request_body = CreditAccountRef,
    responses((status = 200, description = "Closed.", body = Done)))]
pub(super) fn close_credit_account() {}
