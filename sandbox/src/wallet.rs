//! What the simulated wallet holds: people, their payment accounts and the
//! cards bound to them. Every change returns the record to persist, so the
//! caller can write it in the same transaction as the ledger entry.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::history::History;
use crate::ids::new_id;
use crate::money::Money;
use crate::persistence::Write;

/// A person the wallet knows, with every account ever opened for them; one
/// record per person keeps a person's accounts consistent in one write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Person {
    pub id_number: String,
    pub name: String,
    pub phone: String,
    /// Usage history the bank derives credit limits from; `None` reads as zeros.
    pub history: Option<History>,
    pub accounts: Vec<Account>,
}

/// A payment account; closed ones are kept so tests can see what was undone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Account {
    pub payment_account_id: String,
    pub status: AccountStatus,
    /// Whether a saga created it: the wallet's security rule depends on it.
    pub registered_by_saga: bool,
    pub bindings: Vec<Binding>,
    /// What merchants' service requests charged to it, oldest first.
    #[serde(default)]
    pub charges: Vec<Charge>,
}

/// The largest charge the sandbox wallet accepts: 10,000.00.
pub(crate) const CHARGE_LIMIT_CENTS: u64 = 1_000_000;

/// A charge a merchant's service request made on a payment account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Charge {
    pub charge_id: String,
    /// The merchant (the orchestrator's caller id) the charge is for.
    pub merchant_id: String,
    pub amount: Money,
}

impl Account {
    /// The savings binding in force, if any; an account has at most one.
    pub(crate) fn active_savings(&self) -> Option<&Binding> {
        self.bindings.iter().find(|binding| {
            binding.kind == BindingKind::Savings && binding.status == BindingStatus::Active
        })
    }
}

/// Whether a payment account can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AccountStatus {
    Open,
    Closed,
}

/// A card bound to a payment account; removed ones are kept for inspection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct Binding {
    pub binding_id: String,
    pub card_last4: String,
    pub kind: BindingKind,
    pub status: BindingStatus,
}

/// What a binding is for: a payment card, or the savings account a credit
/// account draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BindingKind {
    Card,
    Savings,
}

/// Whether a binding is still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum BindingStatus {
    Active,
    Removed,
}

/// The real-name data needed to open an account for someone.
pub(crate) struct NewPerson {
    pub id_number: String,
    pub name: String,
    pub phone: String,
    pub history: Option<History>,
}

/// The wallet's state, with indexes from account and binding ids to their
/// owner so that party calls naming only an id are answered without a scan.
#[derive(Debug, Default)]
pub(crate) struct Wallet {
    persons: HashMap<String, Person>,
    account_owner: HashMap<String, String>,
    binding_account: HashMap<String, String>,
}

impl Wallet {
    /// Rebuilds the wallet and its indexes from stored records.
    pub(crate) fn from_persons(persons: Vec<Person>) -> Wallet {
        let mut wallet = Wallet::default();
        for person in persons {
            for account in &person.accounts {
                wallet
                    .account_owner
                    .insert(account.payment_account_id.clone(), person.id_number.clone());
                for binding in &account.bindings {
                    wallet.binding_account.insert(
                        binding.binding_id.clone(),
                        account.payment_account_id.clone(),
                    );
                }
            }
            wallet.persons.insert(person.id_number.clone(), person);
        }
        wallet
    }

    pub(crate) fn person(&self, id_number: &str) -> Option<&Person> {
        self.persons.get(id_number)
    }

    /// The person's open account; a person holds at most one.
    pub(crate) fn open_account_of(&self, id_number: &str) -> Option<&Account> {
        self.persons
            .get(id_number)?
            .accounts
            .iter()
            .find(|account| account.status == AccountStatus::Open)
    }

    pub(crate) fn account(&self, payment_account_id: &str) -> Option<&Account> {
        let owner = self.account_owner.get(payment_account_id)?;
        self.persons
            .get(owner)?
            .accounts
            .iter()
            .find(|account| account.payment_account_id == payment_account_id)
    }

    /// The open account with this id and the person holding it; a closed or
    /// unknown account is `account_not_found`.
    pub(crate) fn open_account_holder(
        &self,
        payment_account_id: &str,
    ) -> Result<(&Person, &Account), ApiError> {
        let person = self
            .account_owner
            .get(payment_account_id)
            .and_then(|owner| self.persons.get(owner))
            .ok_or(ApiError::AccountNotFound)?;
        let account = person
            .accounts
            .iter()
            .find(|account| account.payment_account_id == payment_account_id)
            .filter(|account| account.status == AccountStatus::Open)
            .ok_or(ApiError::AccountNotFound)?;
        Ok((person, account))
    }

    /// Binds a savings card to an open account that has no active savings
    /// binding yet.
    pub(crate) fn bind_savings(
        &mut self,
        payment_account_id: &str,
        card_number: &str,
    ) -> Result<(String, Write), ApiError> {
        let (_, account) = self.open_account_holder(payment_account_id)?;
        if account.active_savings().is_some() {
            return Err(ApiError::AlreadyBound);
        }
        self.bind(payment_account_id, card_number, BindingKind::Savings)
    }

    /// Opens an account, refusing a second open one for the same person.
    pub(crate) fn open_account(
        &mut self,
        new: NewPerson,
        registered_by_saga: bool,
    ) -> Result<(String, Write), ApiError> {
        if self.open_account_of(&new.id_number).is_some() {
            return Err(ApiError::AccountExists);
        }
        let payment_account_id = new_id("pa_");
        let person = self
            .persons
            .entry(new.id_number.clone())
            .or_insert_with(|| Person {
                id_number: new.id_number.clone(),
                name: String::new(),
                phone: String::new(),
                history: None,
                accounts: Vec::new(),
            });
        person.name = new.name;
        person.phone = new.phone;
        if new.history.is_some() {
            person.history = new.history;
        }
        person.accounts.push(Account {
            payment_account_id: payment_account_id.clone(),
            status: AccountStatus::Open,
            registered_by_saga,
            bindings: Vec::new(),
            charges: Vec::new(),
        });
        let write = Write::person(person);
        self.account_owner
            .insert(payment_account_id.clone(), new.id_number);
        Ok((payment_account_id, write))
    }

    /// Closes an account; `None` when it was already closed (nothing changed).
    pub(crate) fn close_account(
        &mut self,
        payment_account_id: &str,
    ) -> Result<Option<Write>, ApiError> {
        let person = self.owner_mut(payment_account_id)?;
        let account = find_account(person, payment_account_id)?;
        if account.status == AccountStatus::Closed {
            return Ok(None);
        }
        account.status = AccountStatus::Closed;
        Ok(Some(Write::person(person)))
    }

    /// Charges an open account for a merchant. Any amount above [`CHARGE_LIMIT_CENTS`] is
    /// refused as `insufficient_funds`; a closed or unknown account as `account_not_found`.
    pub(crate) fn charge(
        &mut self,
        payment_account_id: &str,
        merchant_id: &str,
        cents: u64,
    ) -> Result<(String, Write), ApiError> {
        let person = self
            .owner_mut(payment_account_id)
            .map_err(|_| ApiError::AccountNotFound)?;
        let account = find_account(person, payment_account_id)?;
        if account.status == AccountStatus::Closed {
            return Err(ApiError::AccountNotFound);
        }
        if cents > CHARGE_LIMIT_CENTS {
            return Err(ApiError::InsufficientFunds);
        }
        let charge_id = new_id("ch_");
        account.charges.push(Charge {
            charge_id: charge_id.clone(),
            merchant_id: merchant_id.to_owned(),
            amount: Money::cny(cents),
        });
        Ok((charge_id, Write::person(person)))
    }

    /// Binds a card to an open account.
    pub(crate) fn bind(
        &mut self,
        payment_account_id: &str,
        card_number: &str,
        kind: BindingKind,
    ) -> Result<(String, Write), ApiError> {
        let person = self.owner_mut(payment_account_id)?;
        let account = find_account(person, payment_account_id)?;
        if account.status == AccountStatus::Closed {
            return Err(ApiError::NotFound("payment account"));
        }
        let binding_id = new_id("bd_");
        account.bindings.push(Binding {
            binding_id: binding_id.clone(),
            card_last4: last4(card_number),
            kind,
            status: BindingStatus::Active,
        });
        let write = Write::person(person);
        self.binding_account
            .insert(binding_id.clone(), payment_account_id.to_owned());
        Ok((binding_id, write))
    }

    /// Removes a binding; `None` when it was already removed (nothing changed).
    pub(crate) fn unbind(&mut self, binding_id: &str) -> Result<Option<Write>, ApiError> {
        let payment_account_id = self
            .binding_account
            .get(binding_id)
            .cloned()
            .ok_or(ApiError::NotFound("binding"))?;
        let person = self.owner_mut(&payment_account_id)?;
        let binding = find_account(person, &payment_account_id)?
            .bindings
            .iter_mut()
            .find(|binding| binding.binding_id == binding_id)
            .ok_or(ApiError::NotFound("binding"))?;
        if binding.status == BindingStatus::Removed {
            return Ok(None);
        }
        binding.status = BindingStatus::Removed;
        Ok(Some(Write::person(person)))
    }

    fn owner_mut(&mut self, payment_account_id: &str) -> Result<&mut Person, ApiError> {
        self.account_owner
            .get(payment_account_id)
            .and_then(|owner| self.persons.get_mut(owner))
            .ok_or(ApiError::NotFound("payment account"))
    }
}

fn find_account<'a>(
    person: &'a mut Person,
    payment_account_id: &str,
) -> Result<&'a mut Account, ApiError> {
    person
        .accounts
        .iter_mut()
        .find(|account| account.payment_account_id == payment_account_id)
        .ok_or(ApiError::NotFound("payment account"))
}

/// Card numbers are validated as at least four ASCII digits before they get here.
fn last4(card_number: &str) -> String {
    card_number[card_number.len().saturating_sub(4)..].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn someone() -> NewPerson {
        NewPerson {
            id_number: "110105194912310029".into(),
            name: "Li Lei".into(),
            phone: "+8613800000000".into(),
            history: None,
        }
    }

    #[test]
    fn a_person_holds_one_open_account_at_a_time() {
        let mut wallet = Wallet::default();
        let (first, _) = wallet.open_account(someone(), true).unwrap();
        assert!(matches!(
            wallet.open_account(someone(), true),
            Err(ApiError::AccountExists)
        ));
        assert!(wallet.close_account(&first).unwrap().is_some());
        assert!(wallet.close_account(&first).unwrap().is_none());
        let (second, _) = wallet.open_account(someone(), false).unwrap();
        let open = wallet.open_account_of("110105194912310029").unwrap();
        assert_eq!(open.payment_account_id, second);
        assert!(!open.registered_by_saga);
    }

    #[test]
    fn bindings_survive_a_rebuild_from_records() {
        let mut wallet = Wallet::default();
        let (account, _) = wallet.open_account(someone(), true).unwrap();
        let (binding, _) = wallet
            .bind(&account, "4111111111111111", BindingKind::Card)
            .unwrap();
        let persons = wallet.persons.values().cloned().collect();
        let mut rebuilt = Wallet::from_persons(persons);
        assert!(rebuilt.unbind(&binding).unwrap().is_some());
        assert!(rebuilt.unbind(&binding).unwrap().is_none());
        let bindings = &rebuilt.account(&account).unwrap().bindings;
        assert_eq!(bindings[0].card_last4, "1111");
        assert_eq!(bindings[0].status, BindingStatus::Removed);
    }

    #[test]
    fn an_account_holds_one_active_savings_binding_at_a_time() {
        let mut wallet = Wallet::default();
        let (account, _) = wallet.open_account(someone(), false).unwrap();
        wallet
            .bind(&account, "4111111111111111", BindingKind::Card)
            .unwrap();
        assert!(wallet.account(&account).unwrap().active_savings().is_none());
        let (savings, _) = wallet
            .bind_savings(&account, "6222020000000000123")
            .unwrap();
        assert!(matches!(
            wallet.bind_savings(&account, "6222020000000000456"),
            Err(ApiError::AlreadyBound)
        ));
        let active = wallet.account(&account).unwrap().active_savings().unwrap();
        assert_eq!(active.binding_id, savings);
        assert_eq!(active.card_last4, "0123");
        wallet.unbind(&savings).unwrap();
        assert!(wallet.account(&account).unwrap().active_savings().is_none());
        assert!(wallet.bind_savings(&account, "6222020000000000456").is_ok());
    }

    #[test]
    fn only_open_accounts_have_a_holder() {
        let mut wallet = Wallet::default();
        let (account, _) = wallet.open_account(someone(), false).unwrap();
        let (person, _) = wallet.open_account_holder(&account).unwrap();
        assert_eq!(person.name, "Li Lei");
        wallet.close_account(&account).unwrap();
        assert!(matches!(
            wallet.open_account_holder(&account),
            Err(ApiError::AccountNotFound)
        ));
        assert!(matches!(
            wallet.bind_savings(&account, "6222020000000000123"),
            Err(ApiError::AccountNotFound)
        ));
        assert!(matches!(
            wallet.open_account_holder("pa_unknown"),
            Err(ApiError::AccountNotFound)
        ));
    }

    #[test]
    fn closed_or_unknown_accounts_take_no_binding() {
        let mut wallet = Wallet::default();
        let (account, _) = wallet.open_account(someone(), true).unwrap();
        wallet.close_account(&account).unwrap();
        assert!(matches!(
            wallet.bind(&account, "4111111111111111", BindingKind::Card),
            Err(ApiError::NotFound(_))
        ));
        assert!(matches!(
            wallet.bind("pa_unknown", "4111111111111111", BindingKind::Card),
            Err(ApiError::NotFound(_))
        ));
        assert!(matches!(
            wallet.unbind("bd_unknown"),
            Err(ApiError::NotFound(_))
        ));
    }
}
