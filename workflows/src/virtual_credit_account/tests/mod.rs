//! Every path of the credit-application saga against a model of the bank and the wallet,
//! and a property: whatever the parties, the person and the operator do, the saga ends
//! completed, compensated or (only after a refused undo) failed, undoing exactly what it made.

mod paths;
mod property;
mod undo;

use super::*;
use crate::domain::{CardNumber, History, IdNumber, Money, PersonName};
use crate::saga::testkit::{self, t0, tick};
use crate::saga::{Action, CallOutcome, PartyCall, PartyReply, RefusalCode, Saga, StepStatus};
use chrono::Duration;

const ID_NUMBER: &str = "11010519491231002X";
const CARD: &str = "4111111111111111";
const OTHER_CARD: &str = "5500000000000004";
const DEADLINE_SECS: i64 = 600;

fn request() -> CreditApplicationRequest {
    CreditApplicationRequest {
        payment_account_id: testkit::account("pa_1"),
        name: PersonName::parse("张三").unwrap(),
        id_number: IdNumber::parse(ID_NUMBER).unwrap(),
        history: History {
            months_active: 12,
            payment_count: 40,
            payment_volume: "1234.50".into(),
        },
    }
}

fn card(raw: &str) -> CardNumber {
    CardNumber::parse(raw).unwrap()
}

fn limit() -> Money {
    Money::parse("500.00", "CNY").unwrap()
}

/// A model of the wallet and the bank: what the saga's calls did to them.
#[derive(Debug, Default)]
struct World {
    /// The person already holds a credit account.
    holds_credit_account: bool,
    /// The wallet account already has a savings binding (`sb_pre`).
    pre_existing_binding: bool,
    /// Operations refused on every call, with the refusal code.
    refuse: Vec<(&'static str, &'static str)>,
    /// Card-specific refusals: (operation, card, code).
    card_refusals: Vec<(&'static str, &'static str, &'static str)>,
    /// Savings bindings the saga made.
    bindings: testkit::Made,
    /// Whether anyone unbound the pre-existing binding.
    pre_existing_unbound: bool,
    /// Credit accounts the saga created.
    credit_accounts: testkit::Made,
    /// Every call with the step (idempotency-key suffix) it was made under.
    calls: Vec<(String, PartyCall)>,
}

impl World {
    fn answer(&mut self, step: &str, call: &PartyCall) -> CallOutcome {
        self.calls.push((step.to_owned(), call.clone()));
        testkit::World::answer(self, call)
    }

    fn refusal(&self, call: &PartyCall) -> Option<&'static str> {
        let op = call.operation();
        if let Some((_, code)) = self.refuse.iter().find(|(o, _)| *o == op) {
            return Some(code);
        }
        let card = match call {
            PartyCall::VerifySavingsCard { card_number, .. }
            | PartyCall::BindSavingsCard { card_number, .. } => card_number.expose(),
            _ => return None,
        };
        self.card_refusals
            .iter()
            .find(|(o, c, _)| *o == op && *c == card)
            .map(|(_, _, code)| *code)
    }

    fn apply(&mut self, call: &PartyCall) -> PartyReply {
        match call {
            PartyCall::CreditAccountLookup { .. } => PartyReply::CreditAccountLookedUp {
                credit_account_id: self
                    .holds_credit_account
                    .then(|| testkit::credit_account("cr_existing")),
                credit_limit: self.holds_credit_account.then(limit),
            },
            PartyCall::SavingsStatus { .. } => PartyReply::SavingsStatusReported {
                savings_binding_id: self
                    .pre_existing_binding
                    .then(|| testkit::binding("sb_pre")),
            },
            PartyCall::VerifySavingsCard { .. } => PartyReply::SavingsCardVerified,
            PartyCall::BindSavingsCard { .. } => PartyReply::SavingsCardBound {
                binding_id: testkit::binding(&self.bindings.make("sb")),
            },
            PartyCall::CreateCreditAccount { .. } => PartyReply::CreditAccountCreated {
                credit_account_id: testkit::credit_account(&self.credit_accounts.make("cr")),
                credit_limit: limit(),
            },
            PartyCall::UnbindCard { binding_id } if binding_id.as_str() == "sb_pre" => {
                self.pre_existing_unbound = true;
                PartyReply::Undone
            }
            PartyCall::UnbindCard { binding_id } => {
                self.bindings.remove(binding_id.as_str());
                PartyReply::Undone
            }
            other => panic!("the credit saga made a foreign call {other:?}"),
        }
    }

    fn live_saga_bindings(&self) -> usize {
        self.bindings.live()
    }

    fn ops(&self) -> Vec<&'static str> {
        self.calls
            .iter()
            .map(|(_, call)| call.operation())
            .collect()
    }

    fn steps(&self) -> Vec<&str> {
        self.calls.iter().map(|(step, _)| step.as_str()).collect()
    }
}

impl testkit::World for World {
    fn answer(&mut self, call: &PartyCall) -> CallOutcome {
        match self.refusal(call) {
            Some(code) => CallOutcome::Refused {
                code: RefusalCode::from(code),
            },
            None => CallOutcome::Succeeded(self.apply(call)),
        }
    }
}

/// Performs the saga's calls against the world until it waits or finishes.
fn drive(mut saga: CreditApplication, world: &mut World, at: i64) -> CreditApplication {
    while let Action::Call { call, step } = saga.next_action() {
        let outcome = world.answer(&step, &call);
        saga = saga.on_outcome(outcome, &tick(at)).unwrap();
    }
    saga
}

/// A saga that has found no credit account and no savings binding, waiting at `t0 + 1`.
fn waiting_saga(world: &mut World) -> CreditApplication {
    let saga = drive(CreditApplication::start(request(), DEADLINE_SECS), world, 1);
    assert_eq!(saga.status(), crate::saga::SagaStatus::Waiting);
    saga
}

fn supply(saga: CreditApplication, raw: &str, at: i64) -> CreditApplication {
    let signal = crate::saga::Signal::SavingsCardSupplied {
        card_number: card(raw),
    };
    saga.on_signal(signal, &tick(at)).unwrap()
}

fn step_status(saga: &CreditApplication, name: &str) -> Option<StepStatus> {
    saga.steps()
        .iter()
        .rev()
        .find(|s| s.name == name)
        .map(|s| s.status)
}
