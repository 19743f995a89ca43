//! The JSON bodies the sandbox answers with. The handlers serialise these and the
//! OpenAPI document describes these, so the two cannot drift apart.

use serde::Serialize;
use utoipa::ToSchema;

use crate::bank::CreditAccount;
use crate::history::History;
use crate::ledger::Effect;
use crate::money::Money;
use crate::wallet::Account;

/// `lookup_person`: the person's open payment account, or null.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonLookup {
    #[schema(required)]
    pub payment_account_id: Option<String>,
}

/// `register_account` and the wallet users fixture: the account opened.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountOpened {
    pub payment_account_id: String,
}

/// An operation that answers nothing but its success.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Done {}

/// `bind_card` and `bind_savings_card`: the binding made.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Bound {
    pub binding_id: String,
}

/// `security_rule`: whether the person must confirm the binding on a security prompt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SecurityRule {
    pub prompt_required: bool,
}

/// `real_name_record`: what the wallet holds about the account's holder.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RealNameRecord {
    pub name: String,
    pub id_number: String,
    /// All zeros when the wallet has no history for the person.
    pub history: History,
}

/// `account_profile`: the name the wallet shows for the account's holder.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountProfile {
    pub display_name: String,
}

/// `charge`: the wallet's record of the charge it made.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Charged {
    pub charge_id: String,
}

/// `savings_status`: the savings binding in force, both fields null when none is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SavingsStatus {
    #[schema(required)]
    pub savings_binding_id: Option<String>,
    #[schema(required)]
    pub card_last4: Option<String>,
}

/// `verify_card` and `verify_savings_card`: the bank vouches for the card.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Verified {
    pub verified: bool,
}

/// `credit_account_lookup`: the person's active credit account, both fields null when
/// there is none.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreditLookup {
    #[schema(required)]
    pub credit_account_id: Option<String>,
    #[schema(required)]
    pub credit_limit: Option<Money>,
}

/// `create_credit_account`: the account opened and its limit.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreditAccountOpened {
    pub credit_account_id: String,
    pub credit_limit: Money,
}

/// `GET /sandbox/wallet/persons/{id_number}`: every account ever opened for the person.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WalletPerson {
    pub accounts: Vec<Account>,
}

/// `GET /sandbox/bank/persons/{id_number}`: every credit account the bank holds for them.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct BankPerson {
    pub credit_accounts: Vec<CreditAccount>,
}

/// `GET /sandbox/ledger`: every applied effect, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Ledger {
    pub effects: Vec<Effect>,
}
