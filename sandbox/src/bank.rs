//! What the simulated bank holds: its customers with their credit accounts,
//! and the savings cards it issued. Every change returns the record to
//! persist, so the caller can write it in the same transaction as the ledger
//! entry.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::ids::new_id;
use crate::money::Money;
use crate::persistence::Write;

/// The limit of a credit account created by the customers fixture, in cents.
const FIXTURE_CREDIT_LIMIT_CENTS: u64 = 500_000;

/// The prefix of credit account ids: `cr_`, so that they are never taken for the
/// orchestrator's credit applications (workflow ids, `ca_`).
const CREDIT_ACCOUNT_PREFIX: &str = "cr_";

/// A person the bank knows, with their credit accounts; one record per person.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Customer {
    pub id_number: String,
    pub name: String,
    pub credit_accounts: Vec<CreditAccount>,
}

/// A virtual credit account held at the bank; closed ones are kept so tests
/// can see what was undone.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct CreditAccount {
    pub credit_account_id: String,
    pub status: CreditStatus,
    pub credit_limit: Money,
    /// The wallet account it was opened for; `None` when a fixture made it.
    #[serde(default)]
    pub payment_account_id: Option<String>,
    /// The savings binding it draws on; `None` when a fixture made it.
    #[serde(default)]
    pub savings_binding_id: Option<String>,
}

/// The lifecycle of a credit account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CreditStatus {
    Active,
    Closed,
}

/// A savings (debit) card the bank issued to a person: what makes a card
/// acceptable as the savings account behind a credit account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SavingsCard {
    pub card_number: String,
    pub id_number: String,
}

/// What the bank needs to open a credit account.
pub(crate) struct NewCreditAccount {
    pub id_number: String,
    pub name: String,
    pub payment_account_id: String,
    pub savings_binding_id: String,
    pub credit_limit_cents: u64,
}

/// The bank's state, with an index from credit account ids to their holder so
/// that a call naming only the id is answered without a scan.
#[derive(Debug, Default)]
pub(crate) struct Bank {
    customers: HashMap<String, Customer>,
    credit_owner: HashMap<String, String>,
    savings_cards: HashMap<String, SavingsCard>,
}

impl Bank {
    /// Rebuilds the bank and its index from stored records.
    pub(crate) fn from_records(customers: Vec<Customer>, savings_cards: Vec<SavingsCard>) -> Bank {
        let mut bank = Bank::default();
        for customer in customers {
            for account in &customer.credit_accounts {
                bank.credit_owner.insert(
                    account.credit_account_id.clone(),
                    customer.id_number.clone(),
                );
            }
            bank.customers.insert(customer.id_number.clone(), customer);
        }
        for card in savings_cards {
            bank.savings_cards.insert(card.card_number.clone(), card);
        }
        bank
    }

    pub(crate) fn customer(&self, id_number: &str) -> Option<&Customer> {
        self.customers.get(id_number)
    }

    /// The person's active credit account; a person holds at most one.
    pub(crate) fn active_credit_account(&self, id_number: &str) -> Option<&CreditAccount> {
        self.customers
            .get(id_number)?
            .credit_accounts
            .iter()
            .find(|account| account.status == CreditStatus::Active)
    }

    /// Creates or renames a customer and, when asked, gives them a credit
    /// account unless they already hold an active one.
    pub(crate) fn upsert_customer(
        &mut self,
        id_number: &str,
        name: &str,
        with_credit_account: bool,
    ) -> Write {
        let has_active = self.active_credit_account(id_number).is_some();
        let customer = self.customer_entry(id_number, name);
        if with_credit_account && !has_active {
            let account = CreditAccount {
                credit_account_id: new_id(CREDIT_ACCOUNT_PREFIX),
                status: CreditStatus::Active,
                credit_limit: Money::cny(FIXTURE_CREDIT_LIMIT_CENTS),
                payment_account_id: None,
                savings_binding_id: None,
            };
            customer.credit_accounts.push(account.clone());
            let write = Write::customer(customer);
            self.credit_owner
                .insert(account.credit_account_id, id_number.to_owned());
            return write;
        }
        Write::customer(customer)
    }

    /// Opens a credit account, refusing a second active one for the same person.
    pub(crate) fn open_credit_account(
        &mut self,
        new: NewCreditAccount,
    ) -> Result<(CreditAccount, Write), ApiError> {
        if self.active_credit_account(&new.id_number).is_some() {
            return Err(ApiError::CreditAccountExists);
        }
        let account = CreditAccount {
            credit_account_id: new_id(CREDIT_ACCOUNT_PREFIX),
            status: CreditStatus::Active,
            credit_limit: Money::cny(new.credit_limit_cents),
            payment_account_id: Some(new.payment_account_id),
            savings_binding_id: Some(new.savings_binding_id),
        };
        let customer = self.customer_entry(&new.id_number, &new.name);
        customer.credit_accounts.push(account.clone());
        let write = Write::customer(customer);
        self.credit_owner
            .insert(account.credit_account_id.clone(), new.id_number);
        Ok((account, write))
    }

    /// Closes a credit account; `None` when it was already closed (nothing changed).
    pub(crate) fn close_credit_account(
        &mut self,
        credit_account_id: &str,
    ) -> Result<Option<Write>, ApiError> {
        let not_found = || ApiError::NotFound("credit account");
        let customer = self
            .credit_owner
            .get(credit_account_id)
            .and_then(|owner| self.customers.get_mut(owner))
            .ok_or_else(not_found)?;
        let account = customer
            .credit_accounts
            .iter_mut()
            .find(|account| account.credit_account_id == credit_account_id)
            .ok_or_else(not_found)?;
        if account.status == CreditStatus::Closed {
            return Ok(None);
        }
        account.status = CreditStatus::Closed;
        Ok(Some(Write::customer(customer)))
    }

    /// Whether `card_number` is a savings card of the person `id_number`.
    pub(crate) fn check_savings_card(
        &self,
        card_number: &str,
        id_number: &str,
    ) -> Result<(), ApiError> {
        match self.savings_cards.get(card_number) {
            None => Err(ApiError::NotSavingsCard),
            Some(card) if card.id_number != id_number => Err(ApiError::CardHolderMismatch),
            Some(_) => Ok(()),
        }
    }

    /// Refuses a card already issued to someone else, so that a fixture can
    /// check before it changes anything.
    pub(crate) fn ensure_savings_card_free(
        &self,
        card_number: &str,
        id_number: &str,
    ) -> Result<(), ApiError> {
        match self.savings_cards.get(card_number) {
            Some(card) if card.id_number != id_number => Err(ApiError::SavingsCardTaken),
            _ => Ok(()),
        }
    }

    /// Issues a savings card to a person; `None` when it already was (nothing
    /// changed).
    pub(crate) fn register_savings_card(
        &mut self,
        card_number: &str,
        id_number: &str,
    ) -> Result<Option<Write>, ApiError> {
        self.ensure_savings_card_free(card_number, id_number)?;
        if self.savings_cards.contains_key(card_number) {
            return Ok(None);
        }
        let card = SavingsCard {
            card_number: card_number.to_owned(),
            id_number: id_number.to_owned(),
        };
        let write = Write::savings_card(&card);
        self.savings_cards.insert(card.card_number.clone(), card);
        Ok(Some(write))
    }

    fn customer_entry(&mut self, id_number: &str, name: &str) -> &mut Customer {
        let customer = self
            .customers
            .entry(id_number.to_owned())
            .or_insert_with(|| Customer {
                id_number: id_number.to_owned(),
                name: String::new(),
                credit_accounts: Vec::new(),
            });
        customer.name = name.to_owned();
        customer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "110105194912310029";
    const OTHER: &str = "11010519491231003X";

    fn application() -> NewCreditAccount {
        NewCreditAccount {
            id_number: ID.into(),
            name: "Li Lei".into(),
            payment_account_id: "pa_1".into(),
            savings_binding_id: "bd_1".into(),
            credit_limit_cents: 25_000,
        }
    }

    #[test]
    fn a_person_holds_one_active_credit_account_at_a_time() {
        let mut bank = Bank::default();
        let (first, _) = bank.open_credit_account(application()).unwrap();
        assert_eq!(first.credit_limit.amount, "250.00");
        assert!(matches!(
            bank.open_credit_account(application()),
            Err(ApiError::CreditAccountExists)
        ));
        assert!(bank
            .close_credit_account(&first.credit_account_id)
            .unwrap()
            .is_some());
        assert!(bank
            .close_credit_account(&first.credit_account_id)
            .unwrap()
            .is_none());
        assert!(bank.active_credit_account(ID).is_none());
        let (second, _) = bank.open_credit_account(application()).unwrap();
        assert_eq!(
            bank.active_credit_account(ID).unwrap().credit_account_id,
            second.credit_account_id
        );
        assert!(matches!(
            bank.close_credit_account("cr_unknown"),
            Err(ApiError::NotFound(_))
        ));
    }

    #[test]
    fn savings_cards_belong_to_one_person() {
        let mut bank = Bank::default();
        assert!(matches!(
            bank.check_savings_card("6222", ID),
            Err(ApiError::NotSavingsCard)
        ));
        assert!(bank.register_savings_card("6222", ID).unwrap().is_some());
        assert!(bank.register_savings_card("6222", ID).unwrap().is_none());
        assert!(bank.check_savings_card("6222", ID).is_ok());
        assert!(matches!(
            bank.check_savings_card("6222", OTHER),
            Err(ApiError::CardHolderMismatch)
        ));
        assert!(matches!(
            bank.register_savings_card("6222", OTHER),
            Err(ApiError::SavingsCardTaken)
        ));
    }

    #[test]
    fn credit_accounts_and_cards_survive_a_rebuild_from_records() {
        let mut bank = Bank::default();
        let (account, _) = bank.open_credit_account(application()).unwrap();
        bank.register_savings_card("6222", ID).unwrap();
        let customers = bank.customers.values().cloned().collect();
        let cards = bank.savings_cards.values().cloned().collect();
        let mut rebuilt = Bank::from_records(customers, cards);
        assert!(rebuilt.check_savings_card("6222", ID).is_ok());
        assert!(rebuilt
            .close_credit_account(&account.credit_account_id)
            .unwrap()
            .is_some());
    }
}
