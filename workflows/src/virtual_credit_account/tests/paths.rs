//! One test per path of the credit-application saga.

use super::*;
use crate::saga::{ErrorCode, Phase, SagaStatus, Signal, Step as _, TransitionError, WaitingFor};
use crate::AnySaga;

#[test]
fn a_person_holding_a_credit_account_gets_it_back_uncreated() {
    let mut world = World {
        holds_credit_account: true,
        ..World::default()
    };
    let saga = drive(
        CreditApplication::start(request(), DEADLINE_SECS),
        &mut world,
        1,
    );
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert_eq!(
        result.credit_account_id,
        testkit::credit_account("cr_existing")
    );
    assert_eq!(result.credit_limit, limit());
    assert_eq!(result.savings_binding_id, None);
    assert!(!result.created);
    assert_eq!(world.ops(), ["credit_account_lookup"]);
    assert_eq!(
        step_status(&saga, "create_credit_account"),
        Some(StepStatus::Skipped)
    );
}

#[test]
fn an_existing_savings_binding_is_used_without_waiting() {
    let mut world = World {
        pre_existing_binding: true,
        ..World::default()
    };
    let saga = drive(
        CreditApplication::start(request(), DEADLINE_SECS),
        &mut world,
        1,
    );
    assert_eq!(saga.status(), SagaStatus::Completed);
    let result = saga.result().unwrap();
    assert_eq!(result.savings_binding_id, Some(testkit::binding("sb_pre")));
    assert!(result.created);
    assert!(saga.undo_stack().is_empty(), "nothing of the saga to undo");
    assert_eq!(
        world.steps(),
        [
            "credit_account_lookup",
            "savings_status",
            "create_credit_account"
        ]
    );
    assert_eq!(
        step_status(&saga, SAVINGS_ACCOUNT_BINDING),
        Some(StepStatus::Skipped)
    );
}

#[test]
fn without_a_binding_it_waits_then_verifies_binds_and_creates() {
    let mut world = World::default();
    let saga = waiting_saga(&mut world);
    let deadline = t0() + Duration::seconds(1 + DEADLINE_SECS);
    assert_eq!(saga.next_action(), Action::Wait { deadline });
    assert_eq!(
        saga.waiting_for(),
        Some(WaitingFor::SavingsAccountBinding {
            deadline,
            last_rejection: None
        })
    );
    assert!(saga.result().is_none());

    let saga = supply(saga, CARD, 5);
    assert_eq!(saga.status(), SagaStatus::Running);
    assert_eq!(saga.waiting_for(), None);
    let saga = drive(saga, &mut world, 6);
    assert_eq!(saga.status(), SagaStatus::Completed);
    assert_eq!(
        world.steps(),
        [
            "credit_account_lookup",
            "savings_status",
            "verify_savings_card_1",
            "bind_savings_card_1",
            "create_credit_account"
        ]
    );
    match &world.calls[4].1 {
        PartyCall::CreateCreditAccount {
            savings_binding_id,
            payment_account_id,
            history,
            ..
        } => {
            assert_eq!(savings_binding_id.as_str(), "sb_0");
            assert_eq!(payment_account_id.as_str(), "pa_1");
            assert_eq!(history, &request().history);
        }
        other => panic!("expected the creation, got {other:?}"),
    }
    let result = saga.result().unwrap();
    assert_eq!(result.credit_account_id, testkit::credit_account("cr_0"));
    assert_eq!(result.savings_binding_id, Some(testkit::binding("sb_0")));
    assert!(result.created);
    assert_eq!(saga.undo_stack()[0].step.name(), "bind_savings_card_1");
    assert_eq!(
        step_status(&saga, SAVINGS_ACCOUNT_BINDING),
        Some(StepStatus::Done)
    );
}

#[test]
fn a_refused_card_keeps_waiting_with_the_same_deadline_until_a_good_one() {
    for (op, code) in [
        ("verify_savings_card", "not_savings_card"),
        ("verify_savings_card", "card_holder_mismatch"),
        ("bind_savings_card", "savings_card_taken"),
        ("bind_savings_card", "already_bound"),
    ] {
        let mut world = World {
            card_refusals: vec![(op, CARD, code)],
            ..World::default()
        };
        let waiting = waiting_saga(&mut world);
        let deadline = t0() + Duration::seconds(1 + DEADLINE_SECS);
        let saga = drive(supply(waiting, CARD, 5), &mut world, 6);
        assert_eq!(saga.status(), SagaStatus::Waiting, "{code}");
        assert_eq!(
            saga.waiting_for(),
            Some(WaitingFor::SavingsAccountBinding {
                deadline,
                last_rejection: Some(code.into())
            })
        );
        assert_eq!(
            step_status(&saga, &format!("{op}_1")),
            Some(StepStatus::Failed)
        );
        assert_eq!(world.live_saga_bindings(), 0);

        let saga = drive(supply(saga, OTHER_CARD, 7), &mut world, 8);
        assert_eq!(saga.status(), SagaStatus::Completed, "{code}");
        let second: Vec<_> = world.steps().into_iter().skip(2).collect();
        let expected_first: &[&str] = if op == "bind_savings_card" {
            &["verify_savings_card_1", "bind_savings_card_1"]
        } else {
            &["verify_savings_card_1"]
        };
        let mut expected = expected_first.to_vec();
        expected.extend([
            "verify_savings_card_2",
            "bind_savings_card_2",
            "create_credit_account",
        ]);
        assert_eq!(second, expected, "{code}");
        assert!(matches!(
            &world.calls.last().unwrap().1,
            PartyCall::CreateCreditAccount { .. }
        ));
        assert_eq!(saga.definition().card_attempts, 2);
    }
}

#[test]
fn the_deadline_compensates_with_nothing_to_undo() {
    let mut world = World::default();
    let saga = waiting_saga(&mut world);
    let saga = saga.on_deadline(&tick(1 + DEADLINE_SECS)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensated);
    let error = saga.error().unwrap();
    assert_eq!(error.code, ErrorCode::SavingsBindingTimeout);
    assert_eq!(
        step_status(&saga, SAVINGS_ACCOUNT_BINDING),
        Some(StepStatus::Failed)
    );
    assert_eq!(saga.next_action(), Action::Finished);
    assert!(!world.ops().contains(&"unbind_card"));
}

#[test]
fn the_deadline_after_a_refused_card_still_compensates() {
    let mut world = World {
        card_refusals: vec![("verify_savings_card", CARD, "not_savings_card")],
        ..World::default()
    };
    let saga = drive(supply(waiting_saga(&mut world), CARD, 5), &mut world, 6);
    let saga = saga.on_deadline(&tick(1 + DEADLINE_SECS)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::SavingsBindingTimeout);
}

#[test]
fn a_refused_creation_unbinds_the_card_the_saga_bound() {
    let mut world = World {
        refuse: vec![("create_credit_account", "credit_account_exists")],
        ..World::default()
    };
    let saga = drive(supply(waiting_saga(&mut world), CARD, 5), &mut world, 6);
    assert_eq!(saga.status(), SagaStatus::Compensated);
    let error = saga.error().unwrap();
    assert_eq!(error.code, ErrorCode::CreditCreationRefused);
    assert!(error.detail.contains("credit_account_exists"));
    assert!(error.detail.contains("bank"));
    assert!(!error.detail.contains(ID_NUMBER) && !error.detail.contains(CARD));
    assert_eq!(
        world.calls.last(),
        Some(&(
            "unbind_savings_card".to_owned(),
            PartyCall::UnbindCard {
                binding_id: testkit::binding("sb_0")
            }
        ))
    );
    assert_eq!(world.live_saga_bindings(), 0);
    assert_eq!(
        step_status(&saga, "bind_savings_card_1"),
        Some(StepStatus::Compensated)
    );
    assert_eq!(
        step_status(&saga, "create_credit_account"),
        Some(StepStatus::Failed)
    );
    assert!(saga.result().is_none());
    assert!(saga.undo_stack().is_empty());
}

#[test]
fn a_refused_creation_never_unbinds_a_pre_existing_binding() {
    let mut world = World {
        pre_existing_binding: true,
        refuse: vec![("create_credit_account", "declined")],
        ..World::default()
    };
    let saga = drive(
        CreditApplication::start(request(), DEADLINE_SECS),
        &mut world,
        1,
    );
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::CreditCreationRefused);
    assert!(!world.ops().contains(&"unbind_card"));
    assert!(!world.pre_existing_unbound);
}

#[test]
fn refused_lookups_end_compensated_with_their_codes() {
    for (op, code) in [
        ("credit_account_lookup", ErrorCode::CreditLookupRefused),
        ("savings_status", ErrorCode::SavingsStatusRefused),
    ] {
        let mut world = World {
            refuse: vec![(op, "declined")],
            ..World::default()
        };
        let saga = drive(
            CreditApplication::start(request(), DEADLINE_SECS),
            &mut world,
            1,
        );
        assert_eq!(saga.status(), SagaStatus::Compensated);
        assert_eq!(saga.error().unwrap().code, code);
        assert_eq!(step_status(&saga, op), Some(StepStatus::Failed));
        assert_eq!(
            world.calls.len(),
            if op == "savings_status" { 2 } else { 1 }
        );
    }
}

#[test]
fn an_answer_of_the_wrong_shape_compensates() {
    let saga = CreditApplication::start(request(), DEADLINE_SECS);
    let half = CallOutcome::Succeeded(PartyReply::CreditAccountLookedUp {
        credit_account_id: Some(testkit::credit_account("cr_1")),
        credit_limit: None,
    });
    let saga = saga.on_outcome(half, &tick(1)).unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::PartyProtocolError);
}

#[test]
fn a_refused_unbind_fails_the_saga_and_retry_completes_the_undo() {
    let mut world = World {
        refuse: vec![("create_credit_account", "declined")],
        ..World::default()
    };
    let mut saga = supply(waiting_saga(&mut world), CARD, 5);
    while saga.phase() != &Phase::Compensating {
        let Action::Call { call, step } = saga.next_action() else {
            panic!("expected a call");
        };
        let outcome = world.answer(&step, &call);
        saga = saga.on_outcome(outcome, &tick(6)).unwrap();
    }
    let refused = CallOutcome::Refused {
        code: "injected".into(),
    };
    let failed = saga.on_outcome(refused, &tick(7)).unwrap();
    assert_eq!(failed.status(), SagaStatus::Failed);
    assert_eq!(failed.error().unwrap().code, ErrorCode::CompensationFailed);
    assert_eq!(failed.next_action(), Action::Finished);
    assert_eq!(world.live_saga_bindings(), 1);

    let resumed = failed.on_signal(Signal::Retry, &tick(8)).unwrap();
    assert_eq!(resumed.status(), SagaStatus::Compensating);
    let done = drive(resumed, &mut world, 9);
    assert_eq!(done.status(), SagaStatus::Compensated);
    assert_eq!(world.live_saga_bindings(), 0);
}

#[test]
fn cancel_while_waiting_compensates_with_nothing_to_undo() {
    let mut world = World::default();
    let saga = waiting_saga(&mut world)
        .on_signal(Signal::Cancel, &tick(5))
        .unwrap();
    assert_eq!(saga.status(), SagaStatus::Compensated);
    assert_eq!(saga.error().unwrap().code, ErrorCode::Cancelled);
    assert_eq!(world.ops(), ["credit_account_lookup", "savings_status"]);
}

#[test]
fn a_stale_or_early_deadline_changes_nothing() {
    let mut world = World::default();
    let waiting = waiting_saga(&mut world);
    assert!(matches!(
        waiting.clone().on_deadline(&tick(DEADLINE_SECS)),
        Err(TransitionError::Illegal {
            event: "deadline",
            status: SagaStatus::Waiting
        })
    ));
    let checking = supply(waiting, CARD, 5);
    assert!(matches!(
        checking.on_deadline(&tick(10 * DEADLINE_SECS)),
        Err(TransitionError::Illegal {
            status: SagaStatus::Running,
            ..
        })
    ));
}

#[test]
fn a_card_or_prompt_decision_that_does_not_fit_is_refused() {
    let mut world = World::default();
    let start = CreditApplication::start(request(), DEADLINE_SECS);
    let supplied = Signal::SavingsCardSupplied {
        card_number: card(CARD),
    };
    assert_eq!(
        start.clone().on_signal(supplied.clone(), &tick(0)),
        Err(TransitionError::Illegal {
            event: "savings_card_supplied",
            status: SagaStatus::Running
        })
    );
    let decision = Signal::SecurityDecision {
        prompt_id: testkit::prompt(1),
        approved: true,
    };
    assert_eq!(
        start.on_signal(decision, &tick(0)),
        Err(TransitionError::PromptClosed)
    );
    let checking = supply(waiting_saga(&mut world), CARD, 5);
    assert!(checking.on_signal(supplied, &tick(6)).is_err());
}

#[test]
fn terminal_states_refuse_late_events() {
    let mut world = World {
        pre_existing_binding: true,
        ..World::default()
    };
    let saga = drive(
        CreditApplication::start(request(), DEADLINE_SECS),
        &mut world,
        1,
    );
    assert_eq!(saga.status(), SagaStatus::Completed);
    testkit::refuses_late_events(&saga);
    let compensated = waiting_saga(&mut World::default());
    let compensated = compensated.on_signal(Signal::Cancel, &tick(5)).unwrap();
    assert_eq!(compensated.status(), SagaStatus::Compensated);
    testkit::refuses_late_events(&compensated);
}

#[test]
fn the_state_survives_a_serde_round_trip_through_any_saga() {
    let mut world = World {
        card_refusals: vec![("verify_savings_card", CARD, "not_savings_card")],
        ..World::default()
    };
    let waiting = drive(supply(waiting_saga(&mut world), CARD, 5), &mut world, 6);
    let checking = supply(waiting.clone(), OTHER_CARD, 7);
    let completed = drive(checking.clone(), &mut world, 8);
    for saga in [waiting, checking, completed] {
        let any = AnySaga::VirtualCreditAccount(saga);
        let json = serde_json::to_string(&any).unwrap();
        assert!(json.starts_with(r#"{"kind":"virtual_credit_account","state":"#));
        let back: AnySaga = serde_json::from_str(&json).unwrap();
        assert_eq!(back, any);
        assert_eq!(back.kind(), crate::saga::SagaKind::VirtualCreditAccount);
        assert!(back.index_entries().is_empty());
        assert_eq!(back.waiting_for(), any.waiting_for());
    }
}

#[test]
fn the_result_has_api_md_shape() {
    let mut world = World::default();
    let saga = drive(supply(waiting_saga(&mut world), CARD, 5), &mut world, 6);
    let any = AnySaga::VirtualCreditAccount(saga);
    assert_eq!(
        any.result_json().unwrap(),
        serde_json::json!({
            "credit_account_id": "cr_0",
            "credit_limit": {"amount": "500.00", "currency": "CNY"},
            "savings_binding_id": "sb_0",
            "created": true
        })
    );
    let held = CreditApplicationResult {
        credit_account_id: testkit::credit_account("cr_x"),
        credit_limit: limit(),
        savings_binding_id: None,
        created: false,
    };
    assert_eq!(
        serde_json::to_value(held).unwrap()["savings_binding_id"],
        serde_json::Value::Null
    );
}

#[test]
fn debug_output_masks_personal_data() {
    let mut world = World::default();
    let checking = supply(waiting_saga(&mut world), CARD, 5);
    let debug = format!("{checking:?}");
    assert!(!debug.contains(ID_NUMBER));
    assert!(!debug.contains(CARD));
    assert!(!debug.contains("张三"));
    let action = format!("{:?}", checking.next_action());
    assert!(!action.contains(CARD) && !action.contains(ID_NUMBER));
}
