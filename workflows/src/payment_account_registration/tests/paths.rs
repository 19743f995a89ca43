//! One test per path of the registration saga.

use super::*;
use crate::saga::{ErrorCode, SagaStatus, TransitionError};

#[test]
fn new_person_with_prompt_approved_completes_with_a_new_account() {
    let (saga, world) = run(World::default(), Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert!(result.account_created);
    assert_eq!(result.binding_id, Some(testkit::binding("bd_0")));
    assert_eq!(world.active_effects(), 2);
    assert_eq!(
        step_status(&saga, SECURITY_AUTHENTICATION),
        Some(StepStatus::Done)
    );
}

#[test]
fn existing_account_needs_no_prompt_and_no_registration() {
    let world = World {
        existing_account: true,
        ..World::default()
    };
    let (saga, world) = run(world, Decision::Reject);
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert_eq!(result.payment_account_id, testkit::account("pa_existing"));
    assert!(!result.account_created);
    assert_eq!(
        step_status(&saga, "register_payment_account"),
        Some(StepStatus::Skipped)
    );
    assert!(!world.calls.contains(&"register_account"));
}

#[test]
fn declined_card_closes_the_new_account() {
    let world = World {
        refuse: ["verify_card"].into(),
        ..World::default()
    };
    let (saga, world) = run(world, Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::CardDeclined);
    assert_eq!(world.active_effects(), 0);
    assert_eq!(world.calls.last(), Some(&"close_account"));
    assert!(saga.result_json().is_none());
}

#[test]
fn declined_card_never_closes_an_existing_account() {
    let world = World {
        existing_account: true,
        refuse: ["verify_card"].into(),
        ..World::default()
    };
    let (saga, world) = run(world, Decision::Approve);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert!(!world.calls.contains(&"close_account"));
}

#[test]
fn rejected_prompt_unbinds_then_closes() {
    let (saga, world) = run(World::default(), Decision::Reject);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::SecurityRejected);
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
    let (saga, world) = run(World::default(), Decision::Timeout);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::SecurityTimeout);
    assert_eq!(world.active_effects(), 0);
}

#[test]
fn a_deadline_before_its_time_or_a_wrong_prompt_changes_nothing() {
    let saga = waiting_saga();
    assert_eq!(saga.status(), SagaStatus::Waiting);
    assert!(saga.result_json().is_some(), "account known while waiting");
    assert!(matches!(
        saga.clone().on_deadline(&tick(10)),
        Err(TransitionError::Illegal { .. })
    ));
    let wrong = Signal::SecurityDecision {
        prompt_id: testkit::prompt(7),
        approved: true,
    };
    assert_eq!(
        saga.on_signal(wrong, &tick(2)),
        Err(TransitionError::PromptClosed)
    );
}

#[test]
fn a_decision_at_or_past_the_deadline_finds_the_prompt_closed_before_the_timer_fires() {
    let saga = waiting_saga();
    let Some(WaitingFor::SecurityPrompt {
        prompt_id,
        deadline,
    }) = saga.waiting_for()
    else {
        panic!("waiting on a prompt: {saga:?}");
    };
    let late = (deadline - testkit::t0()).num_seconds();
    let approve = Signal::SecurityDecision {
        prompt_id,
        approved: true,
    };
    assert!(saga
        .clone()
        .on_signal(approve.clone(), &tick(late - 1))
        .is_ok());
    assert_eq!(
        saga.clone().on_signal(approve, &tick(late)),
        Err(TransitionError::PromptClosed)
    );
    assert!(
        saga.on_signal(Signal::Cancel, &tick(late)).is_ok(),
        "an operator can still cancel"
    );
}

#[test]
fn the_open_prompt_is_indexed_by_its_account() {
    let saga = waiting_saga();
    assert_eq!(
        saga.index_entries(),
        [crate::saga::IndexEntry::SecurityPrompt {
            payment_account_id: &testkit::account("pa_0"),
            prompt_id: &testkit::prompt(1),
        }]
    );
    let any = crate::AnySaga::PaymentAccountRegistration(saga.clone());
    assert_eq!(any.index_entries(), saga.index_entries());
    let approved = saga
        .on_signal(decide(&waiting_saga(), true), &tick(2))
        .unwrap();
    assert!(approved.index_entries().is_empty());
}

#[test]
fn terminal_states_refuse_late_events() {
    for decision in [Decision::Approve, Decision::Reject] {
        let (saga, _) = run(World::default(), decision);
        assert!(saga.status().is_final());
        testkit::refuses_late_events(&saga);
    }
}

#[test]
fn cancel_while_waiting_compensates() {
    let saga = waiting_saga().on_signal(Signal::Cancel, &tick(5)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensating);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
}

#[test]
fn the_view_fields_serialise_as_before() {
    let saga = waiting_saga().on_signal(Signal::Cancel, &tick(5)).unwrap();
    assert_eq!(
        serde_json::to_value(saga.error()).unwrap(),
        serde_json::json!({"code": "cancelled", "detail": "an operator cancelled the saga"})
    );
    assert_eq!(
        serde_json::to_value(saga.steps()).unwrap()[0],
        serde_json::json!({"name": "lookup_person", "status": "done", "at": "2026-01-01T00:00:01Z"})
    );
}
