//! The parties and the operations they offer: the vocabulary shared by faults,
//! idempotency scopes and the ledger.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A simulated counterpart of the orchestrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Party {
    Bank,
    Wallet,
}

impl Party {
    /// Every party.
    pub(crate) const ALL: [Party; 2] = [Party::Bank, Party::Wallet];

    /// The wire name, also used in idempotency scopes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Party::Bank => "bank",
            Party::Wallet => "wallet",
        }
    }
}

/// Every operation a party offers. Faults accept all of them, including the
/// ones whose endpoints later flows will add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Operation {
    LookupPerson,
    RegisterAccount,
    CloseAccount,
    BindCard,
    UnbindCard,
    SecurityRule,
    RealNameRecord,
    SavingsStatus,
    BindSavingsCard,
    VerifyCard,
    VerifySavingsCard,
    CreditAccountLookup,
    CreateCreditAccount,
    CloseCreditAccount,
    AccountProfile,
    Charge,
}

impl Operation {
    /// Every operation.
    pub(crate) const ALL: [Operation; 16] = [
        Operation::LookupPerson,
        Operation::RegisterAccount,
        Operation::CloseAccount,
        Operation::BindCard,
        Operation::UnbindCard,
        Operation::SecurityRule,
        Operation::RealNameRecord,
        Operation::SavingsStatus,
        Operation::BindSavingsCard,
        Operation::VerifyCard,
        Operation::VerifySavingsCard,
        Operation::CreditAccountLookup,
        Operation::CreateCreditAccount,
        Operation::CloseCreditAccount,
        Operation::AccountProfile,
        Operation::Charge,
    ];

    /// The party that offers this operation.
    pub(crate) fn party(self) -> Party {
        match self {
            Operation::LookupPerson
            | Operation::RegisterAccount
            | Operation::CloseAccount
            | Operation::BindCard
            | Operation::UnbindCard
            | Operation::SecurityRule
            | Operation::RealNameRecord
            | Operation::SavingsStatus
            | Operation::BindSavingsCard
            | Operation::AccountProfile
            | Operation::Charge => Party::Wallet,
            Operation::VerifyCard
            | Operation::VerifySavingsCard
            | Operation::CreditAccountLookup
            | Operation::CreateCreditAccount
            | Operation::CloseCreditAccount => Party::Bank,
        }
    }

    /// The wire name, also used in idempotency scopes and logs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Operation::LookupPerson => "lookup_person",
            Operation::RegisterAccount => "register_account",
            Operation::CloseAccount => "close_account",
            Operation::BindCard => "bind_card",
            Operation::UnbindCard => "unbind_card",
            Operation::SecurityRule => "security_rule",
            Operation::RealNameRecord => "real_name_record",
            Operation::SavingsStatus => "savings_status",
            Operation::BindSavingsCard => "bind_savings_card",
            Operation::VerifyCard => "verify_card",
            Operation::VerifySavingsCard => "verify_savings_card",
            Operation::CreditAccountLookup => "credit_account_lookup",
            Operation::CreateCreditAccount => "create_credit_account",
            Operation::CloseCreditAccount => "close_credit_account",
            Operation::AccountProfile => "account_profile",
            Operation::Charge => "charge",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_wire_format() {
        for op in Operation::ALL {
            assert_eq!(serde_json::to_value(op).unwrap(), op.name());
            assert_eq!(serde_json::to_value(op.party()).unwrap(), op.party().name());
        }
    }
}
