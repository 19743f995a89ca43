//! Every path of the registration saga against a model of the wallet and the bank, the
//! undo stack's rules, and properties over random runs.

mod paths;
mod property;
mod undo;

use super::*;
use crate::domain::{CardNumber, IdNumber, PersonName, Phone};
use crate::saga::testkit::{self, tick};
use crate::saga::{
    Action, CallOutcome, PartyCall, PartyReply, RefusalCode, Saga, Signal, StepStatus, WaitingFor,
};
use std::collections::BTreeSet;

fn request() -> RegistrationRequest {
    RegistrationRequest {
        bank_user_ref: "u-1".into(),
        name: PersonName::parse("张三").unwrap(),
        id_number: IdNumber::parse("11010519491231002X").unwrap(),
        phone: Phone::parse("+8613800138000").unwrap(),
        card_number: CardNumber::parse("4111111111111111").unwrap(),
    }
}

/// A model of the wallet and bank: what the saga's effects did to them.
#[derive(Debug, Default)]
struct World {
    existing_account: bool,
    refuse: BTreeSet<&'static str>,
    opened_by_saga: testkit::Made,
    bindings: testkit::Made,
    calls: Vec<&'static str>,
}

impl testkit::World for World {
    fn answer(&mut self, call: &PartyCall) -> CallOutcome {
        let op = call.operation();
        self.calls.push(op);
        if self.refuse.contains(op) {
            return CallOutcome::Refused {
                code: RefusalCode::Declined,
            };
        }
        let reply = match call {
            PartyCall::LookupPerson { .. } => PartyReply::PersonLookedUp {
                payment_account_id: self
                    .existing_account
                    .then(|| testkit::account("pa_existing")),
            },
            PartyCall::RegisterAccount { .. } => PartyReply::AccountRegistered {
                payment_account_id: testkit::account(&self.opened_by_saga.make("pa")),
            },
            PartyCall::CloseAccount { payment_account_id } => {
                self.opened_by_saga.remove(payment_account_id.as_str());
                PartyReply::Undone
            }
            PartyCall::VerifyCard { .. } => PartyReply::CardVerified,
            PartyCall::BindCard { .. } => PartyReply::CardBound {
                binding_id: testkit::binding(&self.bindings.make("bd")),
            },
            PartyCall::UnbindCard { binding_id } => {
                self.bindings.remove(binding_id.as_str());
                PartyReply::Undone
            }
            PartyCall::SecurityRule { .. } => PartyReply::SecurityRuleDecided {
                prompt_required: !self.existing_account,
            },
            other => panic!("the registration saga made a foreign call {other:?}"),
        };
        CallOutcome::Succeeded(reply)
    }
}

impl World {
    fn active_effects(&self) -> usize {
        self.opened_by_saga.live() + self.bindings.live()
    }
}

#[derive(Debug, Clone, Copy)]
enum Decision {
    Approve,
    Reject,
    Timeout,
}

/// The person's answer to the open prompt.
fn decide(saga: &Registration, approved: bool) -> Signal {
    let Some(WaitingFor::SecurityPrompt { prompt_id, .. }) = saga.waiting_for() else {
        panic!("no prompt open: {saga:?}");
    };
    Signal::SecurityDecision {
        prompt_id,
        approved,
    }
}

/// Runs a fresh saga against `world` to its end, the person deciding as `decision` says.
fn run(world: World, decision: Decision) -> (Registration, World) {
    let mut driver = testkit::Driver::new(Registration::start(request(), 600), world);
    for _ in 0..50 {
        match driver.saga.next_action() {
            Action::Call { .. } => driver.call(testkit::CallMove::Answer),
            Action::Wait { .. } => match decision {
                Decision::Approve | Decision::Reject => {
                    let approved = matches!(decision, Decision::Approve);
                    let signal = decide(&driver.saga, approved);
                    driver.signal(signal);
                }
                Decision::Timeout => driver.deadline(),
            },
            Action::Finished => return (driver.saga, driver.world),
        }
    }
    panic!("saga did not finish");
}

fn step_status(saga: &Registration, name: &str) -> Option<StepStatus> {
    saga.steps()
        .iter()
        .rev()
        .find(|s| s.name == name)
        .map(|s| s.status)
}

/// Performs the saga's calls against the world until it waits or finishes.
fn drive(mut saga: Registration, world: &mut World, at: i64) -> Registration {
    while let Action::Call { call, .. } = saga.next_action() {
        let outcome = testkit::World::answer(world, &call);
        saga = saga.on_outcome(outcome, &tick(at)).unwrap();
    }
    saga
}

/// A saga waiting for the security prompt of a newly registered account.
fn waiting_saga() -> Registration {
    drive(
        Registration::start(request(), 600),
        &mut World::default(),
        1,
    )
}
