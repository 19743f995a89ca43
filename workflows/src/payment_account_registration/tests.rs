//! Every path of the registration saga, and a property: whatever forward step is refused
//! and however the person answers, the saga ends completed or fully compensated.

use super::*;
use crate::domain::{CardNumber, IdNumber, PersonName, Phone};
use crate::saga::{
    Action, CallOutcome, PartyCall, PartyReply, SagaStatus, Signal, StepStatus, Tick,
    TransitionError,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
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

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn tick(secs: i64) -> Tick {
    Tick {
        now: t0() + Duration::seconds(secs),
        fresh_id: format!("id-{secs}"),
    }
}

/// A model of the wallet and bank: what the saga's effects did to them.
#[derive(Debug, Default)]
struct World {
    existing_account: bool,
    refuse: BTreeSet<&'static str>,
    opened_by_saga: Vec<(String, bool)>,
    bindings: Vec<(String, bool)>,
    calls: Vec<&'static str>,
}

impl World {
    fn answer(&mut self, call: &PartyCall) -> CallOutcome {
        let op = call.operation();
        self.calls.push(op);
        if self.refuse.contains(op) {
            return CallOutcome::Refused {
                code: "declined".into(),
            };
        }
        let reply = match call {
            PartyCall::LookupPerson { .. } => PartyReply::PersonLookedUp {
                payment_account_id: self.existing_account.then(|| "pa_existing".into()),
            },
            PartyCall::RegisterAccount { .. } => {
                let id = format!("pa_{}", self.opened_by_saga.len());
                self.opened_by_saga.push((id.clone(), true));
                PartyReply::AccountRegistered {
                    payment_account_id: id,
                }
            }
            PartyCall::CloseAccount { payment_account_id } => {
                let account = self
                    .opened_by_saga
                    .iter_mut()
                    .find(|(id, _)| id == payment_account_id)
                    .expect("closes only an account the saga opened");
                account.1 = false;
                PartyReply::Undone
            }
            PartyCall::VerifyCard { .. } => PartyReply::CardVerified,
            PartyCall::BindCard { .. } => {
                let id = format!("bd_{}", self.bindings.len());
                self.bindings.push((id.clone(), true));
                PartyReply::CardBound { binding_id: id }
            }
            PartyCall::UnbindCard { binding_id } => {
                let binding = self
                    .bindings
                    .iter_mut()
                    .find(|(id, _)| id == binding_id)
                    .expect("unbinds only a binding the saga made");
                binding.1 = false;
                PartyReply::Undone
            }
            PartyCall::SecurityRule { .. } => PartyReply::SecurityRuleDecided {
                prompt_required: !self.existing_account,
            },
            other => panic!("the registration saga made a foreign call {other:?}"),
        };
        CallOutcome::Succeeded(reply)
    }

    fn active_effects(&self) -> usize {
        self.opened_by_saga.iter().filter(|(_, open)| *open).count()
            + self.bindings.iter().filter(|(_, live)| *live).count()
    }
}

#[derive(Debug, Clone, Copy)]
enum Decision {
    Approve,
    Reject,
    Timeout,
}

fn run(world: &mut World, decision: Decision) -> Registration {
    let mut saga = Registration::start(request(), 600);
    let mut clock = 0;
    for _ in 0..50 {
        clock += 1;
        saga = match saga.next_action() {
            Action::Call { call, .. } => {
                let outcome = world.answer(&call);
                saga.on_outcome(outcome, &tick(clock)).unwrap()
            }
            Action::Wait { .. } => {
                let prompt_id = match &saga.phase {
                    Phase::AwaitingSecurity { prompt_id, .. } => prompt_id.clone(),
                    other => panic!("waiting in {other:?}"),
                };
                match decision {
                    Decision::Approve | Decision::Reject => saga
                        .on_signal(
                            Signal::SecurityDecision {
                                prompt_id,
                                approved: matches!(decision, Decision::Approve),
                            },
                            &tick(clock),
                        )
                        .unwrap(),
                    Decision::Timeout => saga.on_deadline(&tick(clock + 601)).unwrap(),
                }
            }
            Action::Finished => return saga,
        };
    }
    panic!("saga did not finish");
}

fn step_status(saga: &Registration, name: &str) -> Option<StepStatus> {
    saga.steps
        .iter()
        .rev()
        .find(|s| s.name == name)
        .map(|s| s.status)
}

#[test]
fn new_person_with_prompt_approved_completes_with_a_new_account() {
    let mut world = World::default();
    let saga = run(&mut world, Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert!(result.account_created);
    assert_eq!(result.binding_id.as_deref(), Some("bd_0"));
    assert_eq!(world.active_effects(), 2);
    assert_eq!(
        step_status(&saga, "security_authentication"),
        Some(StepStatus::Done)
    );
}

#[test]
fn existing_account_needs_no_prompt_and_no_registration() {
    let mut world = World {
        existing_account: true,
        ..World::default()
    };
    let saga = run(&mut world, Decision::Reject);
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert_eq!(result.payment_account_id, "pa_existing");
    assert!(!result.account_created);
    assert_eq!(
        step_status(&saga, "register_payment_account"),
        Some(StepStatus::Skipped)
    );
    assert!(!world.calls.contains(&"register_account"));
}

#[test]
fn declined_card_closes_the_new_account() {
    let mut world = World {
        refuse: ["verify_card"].into(),
        ..World::default()
    };
    let saga = run(&mut world, Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error.as_ref().unwrap().code.as_str(), "card_declined");
    assert_eq!(world.active_effects(), 0);
    assert_eq!(world.calls.last(), Some(&"close_account"));
    assert!(saga.result().is_none());
}

#[test]
fn declined_card_never_closes_an_existing_account() {
    let mut world = World {
        existing_account: true,
        refuse: ["verify_card"].into(),
        ..World::default()
    };
    let saga = run(&mut world, Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert!(!world.calls.contains(&"close_account"));
}

#[test]
fn rejected_prompt_unbinds_then_closes() {
    let mut world = World::default();
    let saga = run(&mut world, Decision::Reject);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(
        saga.error.as_ref().unwrap().code.as_str(),
        "security_rejected"
    );
    let tail: Vec<_> = world.calls.iter().rev().take(2).rev().copied().collect();
    assert_eq!(tail, ["unbind_card", "close_account"]);
    assert_eq!(
        step_status(&saga, "bind_card"),
        Some(StepStatus::Compensated)
    );
    assert_eq!(world.active_effects(), 0);
}

#[test]
fn prompt_deadline_compensates_with_timeout() {
    let mut world = World::default();
    let saga = run(&mut world, Decision::Timeout);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(
        saga.error.as_ref().unwrap().code.as_str(),
        "security_timeout"
    );
    assert_eq!(world.active_effects(), 0);
}

fn waiting_saga() -> Registration {
    let mut world = World::default();
    let mut saga = Registration::start(request(), 600);
    while let Action::Call { call, .. } = saga.next_action() {
        let outcome = world.answer(&call);
        saga = saga.on_outcome(outcome, &tick(1)).unwrap();
    }
    saga
}

#[test]
fn a_deadline_before_its_time_or_a_wrong_prompt_changes_nothing() {
    let saga = waiting_saga();
    assert_eq!(saga.status(), SagaStatus::Waiting);
    assert!(saga.result().is_some(), "account known while waiting");
    assert!(matches!(
        saga.clone().on_deadline(&tick(10)),
        Err(TransitionError::Illegal { .. })
    ));
    let wrong = Signal::SecurityDecision {
        prompt_id: "other".into(),
        approved: true,
    };
    assert_eq!(
        saga.on_signal(wrong, &tick(2)),
        Err(TransitionError::PromptClosed)
    );
}

#[test]
fn terminal_states_refuse_late_events() {
    let mut world = World::default();
    let saga = run(&mut world, Decision::Approve);
    let late = Signal::SecurityDecision {
        prompt_id: "id-1".into(),
        approved: false,
    };
    assert_eq!(
        saga.clone().on_signal(late, &tick(99)),
        Err(TransitionError::PromptClosed)
    );
    assert!(saga.clone().on_deadline(&tick(9999)).is_err());
    assert!(saga.clone().on_signal(Signal::Cancel, &tick(99)).is_err());
    assert!(saga
        .on_outcome(CallOutcome::Succeeded(PartyReply::Undone), &tick(99))
        .is_err());
}

#[test]
fn cancel_while_waiting_compensates() {
    let saga = waiting_saga().on_signal(Signal::Cancel, &tick(5)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensating);
    assert_eq!(saga.error.as_ref().unwrap().code.as_str(), "cancelled");
}

#[test]
fn a_refused_undo_fails_the_saga_and_retry_resumes_it() {
    let saga = waiting_saga().on_signal(Signal::Cancel, &tick(5)).unwrap();
    let refused = CallOutcome::Refused {
        code: "injected".into(),
    };
    let failed = saga.on_outcome(refused, &tick(6)).unwrap();
    assert_eq!(failed.status(), SagaStatus::Failed);
    assert_eq!(
        failed.error.as_ref().unwrap().code.as_str(),
        "compensation_failed"
    );
    let resumed = failed.on_signal(Signal::Retry, &tick(7)).unwrap();
    assert_eq!(resumed.status(), SagaStatus::Compensating);
}

const FORWARD_OPS: [&str; 5] = [
    "lookup_person",
    "register_account",
    "verify_card",
    "bind_card",
    "security_rule",
];

proptest! {
    #[test]
    fn any_refusal_ends_completed_or_fully_compensated(
        existing_account in any::<bool>(),
        refused in proptest::collection::btree_set(0..FORWARD_OPS.len(), 0..=FORWARD_OPS.len()),
        decision in prop_oneof![Just(Decision::Approve), Just(Decision::Reject), Just(Decision::Timeout)],
    ) {
        let mut world = World {
            existing_account,
            refuse: refused.iter().map(|i| FORWARD_OPS[*i]).collect(),
            ..World::default()
        };
        let saga = run(&mut world, decision);
        match saga.status() {
            SagaStatus::Completed => {
                prop_assert!(saga.error.is_none());
                prop_assert_eq!(world.bindings.iter().filter(|(_, live)| *live).count(), 1);
                prop_assert_eq!(world.opened_by_saga.len(), usize::from(!existing_account));
            }
            SagaStatus::Compensated => {
                prop_assert!(saga.error.is_some());
                prop_assert_eq!(world.active_effects(), 0);
            }
            other => prop_assert!(false, "ended {:?}", other),
        }
    }
}
