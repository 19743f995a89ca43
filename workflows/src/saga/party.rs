//! The vocabulary between sagas and the parties: what to call, and what came back.
//! Sagas emit [`PartyCall`]s as data; the runtime performs them and feeds back a
//! [`CallOutcome`]. Transient failures never reach a saga: the runtime retries them with
//! the same idempotency key until the party gives a definite answer.

use super::RefusalCode;
use crate::domain::{
    BindingId, CardNumber, ChargeId, CreditAccountId, History, IdNumber, Money, PaymentAccountId,
    PersonName, Phone,
};
use serde::{Deserialize, Serialize};

/// The party that serves a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The payment app's server.
    Wallet,
    /// The bank's server.
    Bank,
}

impl Party {
    /// The stable wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Wallet => "wallet",
            Party::Bank => "bank",
        }
    }
}

/// One call to a party, with everything it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PartyCall {
    /// Find the person's open payment account, if any.
    LookupPerson {
        /// Whom to look up.
        id_number: IdNumber,
    },
    /// Register a payment account for the person.
    RegisterAccount {
        /// Real name.
        name: PersonName,
        /// Resident id.
        id_number: IdNumber,
        /// Contact phone.
        phone: Phone,
    },
    /// Close a payment account (undo of registration).
    CloseAccount {
        /// The account to close.
        payment_account_id: PaymentAccountId,
    },
    /// Ask the bank whether the card may be bound for this person.
    VerifyCard {
        /// The card.
        card_number: CardNumber,
        /// Its holder.
        id_number: IdNumber,
    },
    /// Bind a card to a payment account.
    BindCard {
        /// The account.
        payment_account_id: PaymentAccountId,
        /// The card.
        card_number: CardNumber,
    },
    /// Remove a binding (undo of binding).
    UnbindCard {
        /// The binding to remove.
        binding_id: BindingId,
    },
    /// Ask the wallet whether a security authentication is needed.
    SecurityRule {
        /// The account concerned.
        payment_account_id: PaymentAccountId,
    },
    /// Ask the bank for the person's active credit account, if any.
    CreditAccountLookup {
        /// Real name from the wallet's record.
        name: PersonName,
        /// Resident id from the wallet's record.
        id_number: IdNumber,
    },
    /// Ask the wallet for the savings binding in force on a payment account, if any.
    SavingsStatus {
        /// The account concerned.
        payment_account_id: PaymentAccountId,
    },
    /// Ask the bank whether the card is a savings card it issued to this person.
    VerifySavingsCard {
        /// The card.
        card_number: CardNumber,
        /// Its holder.
        id_number: IdNumber,
    },
    /// Bind a savings card to a payment account (undone with `UnbindCard`).
    BindSavingsCard {
        /// The account.
        payment_account_id: PaymentAccountId,
        /// The savings card.
        card_number: CardNumber,
    },
    /// Open a credit account whose limit the bank derives from the history.
    CreateCreditAccount {
        /// Real name from the wallet's record.
        name: PersonName,
        /// Resident id from the wallet's record.
        id_number: IdNumber,
        /// The payment account the credit account belongs to.
        payment_account_id: PaymentAccountId,
        /// The savings binding the credit account draws on.
        savings_binding_id: BindingId,
        /// The person's usage history.
        history: History,
    },
    /// Ask the wallet for the display name of an open payment account, to show it
    /// (masked) to the person who claims that account's pairing code.
    AccountProfile {
        /// The account concerned.
        payment_account_id: PaymentAccountId,
    },
    /// Charge a payment account for a merchant's service request made with a virtual
    /// service account id; only the wallet ever sees the real account.
    Charge {
        /// The real account behind the virtual id.
        payment_account_id: PaymentAccountId,
        /// The merchant (caller id) the charge is for.
        merchant_id: String,
        /// How much.
        amount: Money,
    },
}

impl PartyCall {
    /// Who serves the call.
    pub fn party(&self) -> Party {
        match self {
            PartyCall::VerifyCard { .. }
            | PartyCall::CreditAccountLookup { .. }
            | PartyCall::VerifySavingsCard { .. }
            | PartyCall::CreateCreditAccount { .. } => Party::Bank,
            PartyCall::LookupPerson { .. }
            | PartyCall::RegisterAccount { .. }
            | PartyCall::CloseAccount { .. }
            | PartyCall::BindCard { .. }
            | PartyCall::UnbindCard { .. }
            | PartyCall::SecurityRule { .. }
            | PartyCall::SavingsStatus { .. }
            | PartyCall::BindSavingsCard { .. }
            | PartyCall::AccountProfile { .. }
            | PartyCall::Charge { .. } => Party::Wallet,
        }
    }

    /// The party's operation name, as the sandbox ledger and fault injection spell it.
    pub fn operation(&self) -> &'static str {
        match self {
            PartyCall::LookupPerson { .. } => "lookup_person",
            PartyCall::RegisterAccount { .. } => "register_account",
            PartyCall::CloseAccount { .. } => "close_account",
            PartyCall::VerifyCard { .. } => "verify_card",
            PartyCall::BindCard { .. } => "bind_card",
            PartyCall::UnbindCard { .. } => "unbind_card",
            PartyCall::SecurityRule { .. } => "security_rule",
            PartyCall::CreditAccountLookup { .. } => "credit_account_lookup",
            PartyCall::SavingsStatus { .. } => "savings_status",
            PartyCall::VerifySavingsCard { .. } => "verify_savings_card",
            PartyCall::BindSavingsCard { .. } => "bind_savings_card",
            PartyCall::CreateCreditAccount { .. } => "create_credit_account",
            PartyCall::AccountProfile { .. } => "account_profile",
            PartyCall::Charge { .. } => "charge",
        }
    }
}

/// A party's definite answer to a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum PartyReply {
    /// Answer to `LookupPerson`.
    PersonLookedUp {
        /// The person's open account, if any.
        payment_account_id: Option<PaymentAccountId>,
    },
    /// Answer to `RegisterAccount`.
    AccountRegistered {
        /// The new account.
        payment_account_id: PaymentAccountId,
    },
    /// Answer to `VerifyCard`.
    CardVerified,
    /// Answer to `BindCard`.
    CardBound {
        /// The new binding.
        binding_id: BindingId,
    },
    /// Answer to `SecurityRule`.
    SecurityRuleDecided {
        /// Whether the person must confirm on the payment-app client.
        prompt_required: bool,
    },
    /// Answer to `CreditAccountLookup`.
    CreditAccountLookedUp {
        /// The person's active credit account, if any.
        credit_account_id: Option<CreditAccountId>,
        /// Its limit, given with the account.
        credit_limit: Option<Money>,
    },
    /// Answer to `SavingsStatus`.
    SavingsStatusReported {
        /// The savings binding in force on the account, if any.
        savings_binding_id: Option<BindingId>,
    },
    /// Answer to `VerifySavingsCard`.
    SavingsCardVerified,
    /// Answer to `BindSavingsCard`.
    SavingsCardBound {
        /// The new savings binding.
        binding_id: BindingId,
    },
    /// Answer to `CreateCreditAccount`.
    CreditAccountCreated {
        /// The new credit account.
        credit_account_id: CreditAccountId,
        /// The limit the bank granted.
        credit_limit: Money,
    },
    /// Answer to `AccountProfile`.
    AccountProfiled {
        /// The account holder's name as the wallet shows it.
        display_name: PersonName,
    },
    /// Answer to `Charge`.
    Charged {
        /// The wallet's record of the charge.
        charge_id: ChargeId,
    },
    /// Answer to an undo (`CloseAccount`, `UnbindCard`).
    Undone,
}

/// What became of a call, as a saga sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum CallOutcome {
    /// The party did it (or had already done it for this idempotency key).
    Succeeded(PartyReply),
    /// The party definitely refused; nothing was done.
    Refused {
        /// The party's reason, e.g. `declined`.
        code: RefusalCode,
    },
}
