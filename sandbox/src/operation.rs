//! The parties and the operations they offer: the vocabulary shared by faults,
//! idempotency scopes and the ledger.

use serde::{Deserialize, Serialize};

/// A simulated counterpart of the orchestrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Party {
    Bank,
    Wallet,
}

impl Party {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Operation {
    LookupPerson,
    RegisterAccount,
    CloseAccount,
    BindCard,
    UnbindCard,
    SecurityRule,
    SavingsStatus,
    VerifyCard,
    CreditAccountLookup,
    CreateCreditAccount,
}

impl Operation {
    /// The party that offers this operation.
    pub(crate) fn party(self) -> Party {
        match self {
            Operation::LookupPerson
            | Operation::RegisterAccount
            | Operation::CloseAccount
            | Operation::BindCard
            | Operation::UnbindCard
            | Operation::SecurityRule
            | Operation::SavingsStatus => Party::Wallet,
            Operation::VerifyCard
            | Operation::CreditAccountLookup
            | Operation::CreateCreditAccount => Party::Bank,
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
            Operation::SavingsStatus => "savings_status",
            Operation::VerifyCard => "verify_card",
            Operation::CreditAccountLookup => "credit_account_lookup",
            Operation::CreateCreditAccount => "create_credit_account",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Operation; 10] = [
        Operation::LookupPerson,
        Operation::RegisterAccount,
        Operation::CloseAccount,
        Operation::BindCard,
        Operation::UnbindCard,
        Operation::SecurityRule,
        Operation::SavingsStatus,
        Operation::VerifyCard,
        Operation::CreditAccountLookup,
        Operation::CreateCreditAccount,
    ];

    #[test]
    fn names_match_the_wire_format() {
        for op in ALL {
            assert_eq!(serde_json::to_value(op).unwrap(), op.name());
            assert_eq!(serde_json::to_value(op.party()).unwrap(), op.party().name());
        }
    }
}
