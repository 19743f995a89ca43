//! The undo stack of the credit-application saga: the binding's undo registered before
//! the binding is sent and dropped when it is refused, an in-doubt binding resolved by
//! replay before it is undone, and the pivot resolved before a cancel may compensate.

use super::*;
use crate::saga::{ErrorCode, Phase, SagaStatus, Signal, Step as _};

/// Answers calls until the saga's next action is the step named `step`.
fn until_next(mut saga: CreditApplication, world: &mut World, step: &str) -> CreditApplication {
    loop {
        let Action::Call { call, step: next } = saga.next_action() else {
            panic!("never reached {step}: {saga:?}");
        };
        if next == step {
            return saga;
        }
        saga = saga
            .on_outcome(world.answer(&next, &call), &tick(6))
            .unwrap();
    }
}

fn bound(world: &mut World) -> CreditApplication {
    let checking = supply(waiting_saga(world), CARD, 5);
    until_next(checking, world, "create_credit_account")
}

#[test]
fn the_binding_undo_is_registered_before_the_binding_is_sent() {
    let mut world = World::default();
    let checking = supply(waiting_saga(&mut world), CARD, 5);
    assert!(
        checking.undo_stack().is_empty(),
        "verifying changes nothing"
    );
    let binding = until_next(checking, &mut world, "bind_savings_card_1");
    assert_eq!(world.live_saga_bindings(), 0);
    let entry = &binding.undo_stack()[0];
    assert_eq!(
        (entry.step.name().as_str(), entry.undo, entry.undo_call()),
        ("bind_savings_card_1", CreditUndo::UnbindSavingsCard, None)
    );
    let created = until_next(binding, &mut world, "create_credit_account");
    assert_eq!(
        created.undo_stack()[0].undo_call(),
        Some(PartyCall::UnbindCard {
            binding_id: testkit::binding("sb_0")
        })
    );
}

#[test]
fn a_refused_binding_drops_its_undo_and_waits_for_another_card() {
    let mut world = World {
        card_refusals: vec![("bind_savings_card", CARD, "already_bound")],
        ..World::default()
    };
    let saga = drive(supply(waiting_saga(&mut world), CARD, 5), &mut world, 6);
    assert_eq!(saga.status(), SagaStatus::Waiting);
    assert!(saga.undo_stack().is_empty());
    let saga = saga.on_signal(Signal::Cancel, &tick(7)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert!(!world.ops().contains(&"unbind_card"));
}

#[test]
fn a_cancel_while_the_binding_is_in_doubt_replays_it_then_unbinds() {
    let mut world = World::default();
    let checking = supply(waiting_saga(&mut world), CARD, 5);
    let binding = until_next(checking, &mut world, "bind_savings_card_1");
    let Action::Call { call, step } = binding.next_action() else {
        panic!("the binding is next");
    };
    let lost = world.answer(&step, &call);
    let resolving = binding.on_signal(Signal::Cancel, &tick(7)).unwrap();
    assert!(matches!(resolving.phase(), Phase::Resolving { .. }));
    assert_eq!(
        resolving.next_action(),
        Action::Call {
            call,
            step: step.clone()
        }
    );
    let saga = drive(resolving.on_outcome(lost, &tick(8)).unwrap(), &mut world, 9);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
    assert_eq!(world.live_saga_bindings(), 0);
    assert_eq!(step_status(&saga, &step), Some(StepStatus::Compensated));
    assert!(!world.ops().contains(&"create_credit_account"));
}

#[test]
fn a_cancel_before_the_creation_answered_unbinds_once_the_bank_refuses_it() {
    let mut world = World {
        refuse: vec![("create_credit_account", "declined")],
        ..World::default()
    };
    let saga = bound(&mut world)
        .on_signal(Signal::Cancel, &tick(7))
        .unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensating);
    let saga = drive(saga, &mut world, 8);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
    assert_eq!(world.live_saga_bindings(), 0);
    assert_eq!(
        world
            .ops()
            .iter()
            .filter(|op| **op == "create_credit_account")
            .count(),
        1,
        "the creation is resolved before anything is undone"
    );
}

#[test]
fn a_cancel_that_finds_the_pivot_applied_completes() {
    let mut world = World::default();
    let saga = bound(&mut world)
        .on_signal(Signal::Cancel, &tick(7))
        .unwrap();
    let saga = drive(saga, &mut world, 8);
    assert_eq!(saga.status(), SagaStatus::Completed);
    assert_eq!(saga.error(), None);
    assert_eq!(
        saga.result().unwrap().credit_account_id,
        testkit::credit_account("cr_0")
    );
    assert_eq!(
        world.live_saga_bindings(),
        1,
        "the credit account draws on it"
    );
}
