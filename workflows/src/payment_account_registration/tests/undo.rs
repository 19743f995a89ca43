//! The undo stack of the registration saga: each undo registered before its step's call
//! is sent, dropped by a refusal, resolved by replay when in doubt, and retried after a
//! refused undo.

use super::*;
use crate::saga::testkit::World as _;
use crate::saga::{ErrorCode, Phase, SagaStatus, Step as _, UndoEntry};

/// Answers calls until the saga's next action is the step named `step`.
fn until_next(saga: Registration, world: &mut World, step: &str) -> Registration {
    let mut saga = saga;
    loop {
        let Action::Call { call, step: next } = saga.next_action() else {
            panic!("never reached {step}: {saga:?}");
        };
        if next == step {
            return saga;
        }
        saga = saga.on_outcome(world.answer(&call), &tick(1)).unwrap();
    }
}

fn stack(saga: &Registration) -> Vec<(String, bool)> {
    let entries = saga.undo_stack().iter();
    entries
        .map(|e| (e.step.name(), e.output.is_some()))
        .collect()
}

#[test]
fn an_undo_is_registered_before_its_step_is_sent() {
    let mut world = World::default();
    let saga = until_next(Registration::start(request(), 600), &mut world, "bind_card");
    assert_eq!(
        world.calls,
        ["lookup_person", "register_account", "verify_card"]
    );
    assert_eq!(
        stack(&saga),
        [
            ("register_payment_account".to_owned(), true),
            ("bind_card".to_owned(), false)
        ]
    );
    let in_doubt: &UndoEntry<RegistrationStep> = &saga.undo_stack()[1];
    assert_eq!(in_doubt.undo, RegistrationUndo::UnbindCard);
    let Action::Call { call, .. } = saga.next_action() else {
        panic!("bind_card is next");
    };
    assert_eq!(
        in_doubt.step.call(saga.request()),
        call,
        "the undo holds the step whose call it replays"
    );
    assert_eq!(
        in_doubt.undo_call(),
        None,
        "in doubt until bind_card answers"
    );

    let saga = saga.on_outcome(world.answer(&call), &tick(2)).unwrap();
    assert_eq!(
        saga.undo_stack()[1].undo_call(),
        Some(PartyCall::UnbindCard {
            binding_id: testkit::binding("bd_0")
        }),
        "the undo reads the step's recorded reply"
    );
}

#[test]
fn a_refused_step_drops_its_undo() {
    let mut world = World {
        refuse: ["bind_card"].into(),
        ..World::default()
    };
    let saga = until_next(Registration::start(request(), 600), &mut world, "bind_card");
    let refused = CallOutcome::Refused {
        code: RefusalCode::Declined,
    };
    let saga = saga.on_outcome(refused, &tick(2)).unwrap();
    assert_eq!(
        stack(&saga),
        [("register_payment_account".to_owned(), true)]
    );
    assert_eq!(saga.error().unwrap().code, ErrorCode::BindingRefused);
    let saga = drive(saga, &mut world, 3);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(world.calls.last(), Some(&"close_account"));
    assert!(!world.calls.contains(&"unbind_card"));
}

#[test]
fn a_cancel_while_a_step_is_in_doubt_replays_it_before_undoing_it() {
    let mut world = World::default();
    let saga = until_next(Registration::start(request(), 600), &mut world, "bind_card");
    let Action::Call { call, step } = saga.next_action() else {
        panic!("bind_card is next");
    };
    let lost = world.answer(&call);
    assert_eq!(world.active_effects(), 2, "the wallet bound the card");

    let saga = saga.on_signal(Signal::Cancel, &tick(2)).unwrap();
    assert!(matches!(saga.phase(), Phase::Resolving { .. }));
    let stored = serde_json::to_string(&crate::AnySaga::PaymentAccountRegistration(saga.clone()));
    let reopened: crate::AnySaga = serde_json::from_str(&stored.unwrap()).unwrap();
    assert_eq!(
        reopened,
        crate::AnySaga::PaymentAccountRegistration(saga.clone()),
        "the in-doubt undo survives the store"
    );
    assert_eq!(saga.status(), SagaStatus::Compensating);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
    assert_eq!(
        saga.next_action(),
        Action::Call { call, step },
        "the replay reuses the step name, hence the idempotency key"
    );
    let saga = saga.on_outcome(lost, &tick(3)).unwrap();
    assert_eq!(step_status(&saga, "bind_card"), Some(StepStatus::Done));
    let Action::Call { call: undo, .. } = saga.next_action() else {
        panic!("the undo is next");
    };
    assert_eq!(
        undo,
        PartyCall::UnbindCard {
            binding_id: testkit::binding("bd_0")
        }
    );
    let saga = drive(saga, &mut world, 4);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(world.active_effects(), 0);
    assert_eq!(
        step_status(&saga, "bind_card"),
        Some(StepStatus::Compensated)
    );
}

#[test]
fn a_cancelled_step_that_was_never_applied_is_dropped() {
    let mut world = World::default();
    let saga = until_next(Registration::start(request(), 600), &mut world, "bind_card");
    let saga = saga.on_signal(Signal::Cancel, &tick(2)).unwrap();
    let refused = CallOutcome::Refused {
        code: RefusalCode::Declined,
    };
    let saga = saga.on_outcome(refused, &tick(3)).unwrap();
    assert_eq!(
        stack(&saga),
        [("register_payment_account".to_owned(), true)]
    );
    assert_eq!(step_status(&saga, "bind_card"), Some(StepStatus::Failed));
    let saga = drive(saga, &mut world, 4);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
    assert_eq!(world.active_effects(), 0);
}

#[test]
fn an_unreadable_reply_leaves_the_step_in_doubt_until_a_replay_says_what_it_did() {
    let mut world = World::default();
    let saga = until_next(Registration::start(request(), 600), &mut world, "bind_card");
    let Action::Call { call, step } = saga.next_action() else {
        panic!("bind_card is next");
    };
    let applied = world.answer(&call);
    let garbled = CallOutcome::Succeeded(PartyReply::CardVerified);
    let saga = saga.on_outcome(garbled.clone(), &tick(2)).unwrap();
    assert_eq!(saga.error().unwrap().code, ErrorCode::PartyProtocolError);
    assert_eq!(step_status(&saga, "bind_card"), Some(StepStatus::Failed));
    let replay = Action::Call {
        call: call.clone(),
        step: step.clone(),
    };
    assert_eq!(saga.next_action(), replay, "compensation resolves it first");

    let failed = saga.on_outcome(garbled, &tick(3)).unwrap();
    assert_eq!(failed.status(), SagaStatus::Failed);
    assert_eq!(failed.error().unwrap().code, ErrorCode::CompensationFailed);
    let resumed = failed.on_signal(Signal::Retry, &tick(4)).unwrap();
    assert_eq!(resumed.next_action(), replay);
    let saga = drive(
        resumed.on_outcome(applied, &tick(5)).unwrap(),
        &mut world,
        6,
    );
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(world.active_effects(), 0);
}

#[test]
fn a_refused_undo_fails_the_saga_and_retry_resumes_it() {
    let mut world = World::default();
    let waiting = drive(Registration::start(request(), 600), &mut world, 1);
    let saga = waiting.on_signal(Signal::Cancel, &tick(5)).unwrap();
    let refused = CallOutcome::Refused {
        code: RefusalCode::from("injected"),
    };
    let failed = saga.on_outcome(refused, &tick(6)).unwrap();
    assert_eq!(failed.status(), SagaStatus::Failed);
    let error = failed.error().unwrap();
    assert_eq!(error.code, ErrorCode::CompensationFailed);
    assert_eq!(
        error.detail,
        "unbind_card was refused (injected) while undoing after cancelled"
    );
    assert_eq!(failed.next_action(), Action::Finished);
    assert_eq!(stack(&failed).len(), 2, "nothing undone yet");

    let resumed = failed.on_signal(Signal::Retry, &tick(7)).unwrap();
    assert_eq!(resumed.status(), SagaStatus::Compensating);
    let Action::Call { step, .. } = resumed.next_action() else {
        panic!("the refused undo is next");
    };
    assert_eq!(step, "unbind_card");
    let done = drive(resumed, &mut world, 8);
    assert_eq!(done.status(), SagaStatus::Compensated);
    assert_eq!(world.active_effects(), 0);
}
