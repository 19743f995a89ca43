//! Properties over random runs: whatever is refused and however the person and the
//! operator act, the saga ends completed or fully compensated (or failed only after a
//! refused undo), its undo stack always holding exactly the undos of the effects that may
//! have been applied; and a cancel at any point, even while a step is in doubt, leaves
//! nothing behind.

use super::*;
use crate::saga::testkit::{a_cancel, Driver};
use crate::saga::SagaStatus;
use proptest::prelude::*;

const FORWARD_OPS: [&str; 5] = [
    "lookup_person",
    "register_account",
    "verify_card",
    "bind_card",
    "security_rule",
];

fn world(existing_account: bool, refused: &BTreeSet<usize>) -> World {
    World {
        existing_account,
        refuse: refused.iter().map(|i| FORWARD_OPS[*i]).collect(),
        ..World::default()
    }
}

proptest! {
    #[test]
    fn any_refusal_ends_completed_or_fully_compensated(
        existing_account in any::<bool>(),
        refused in proptest::collection::btree_set(0..FORWARD_OPS.len(), 0..=FORWARD_OPS.len()),
        decision in prop_oneof![Just(Decision::Approve), Just(Decision::Reject), Just(Decision::Timeout)],
    ) {
        let (saga, world) = run(world(existing_account, &refused), decision);
        match saga.status() {
            SagaStatus::Completed => {
                prop_assert!(saga.error().is_none());
                prop_assert_eq!(world.bindings.live(), 1);
                prop_assert_eq!(world.opened_by_saga.made(), usize::from(!existing_account));
            }
            SagaStatus::Compensated => {
                prop_assert!(saga.error().is_some());
                prop_assert_eq!(world.active_effects(), 0);
            }
            other => prop_assert!(false, "ended {:?}", other),
        }
    }

    #[test]
    fn the_undo_stack_holds_exactly_the_effects_that_may_have_been_applied(
        existing_account in any::<bool>(),
        refused in proptest::collection::btree_set(0..FORWARD_OPS.len(), 0..2),
        moves in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let start = Registration::start(request(), 600);
        let mut driver = Driver::new(start, world(existing_account, &refused));
        driver.explore(&moves, |saga, byte| decide(saga, byte % 2 == 0));
        let (saga, world) = (&driver.saga, &driver.world);
        match saga.status() {
            SagaStatus::Completed => prop_assert!(saga.error().is_none()),
            SagaStatus::Compensated => prop_assert_eq!(world.active_effects(), 0),
            SagaStatus::Failed => {
                prop_assert!(world.active_effects() > 0, "failed with nothing left to undo");
            }
            other => prop_assert!(false, "ended {:?}", other),
        }
        prop_assert_eq!(world.active_effects(), driver.ledger.applied().len());
    }

    #[test]
    fn a_cancel_at_any_point_leaves_no_effect_behind(
        existing_account in any::<bool>(),
        at in 0usize..8,
        cancel in a_cancel(),
    ) {
        let start = Registration::start(request(), 600);
        let mut driver = Driver::new(start, world(existing_account, &BTreeSet::new()));
        let landed = driver.cancel_at(at, cancel, |_| None);
        let (saga, world) = (&driver.saga, &driver.world);
        if landed.is_some() {
            prop_assert_eq!(saga.status(), SagaStatus::Compensated);
            prop_assert_eq!(saga.error().map(|e| e.code), Some(crate::saga::ErrorCode::Cancelled));
            prop_assert_eq!(world.active_effects(), 0);
            prop_assert!(driver.ledger.maybe_applied().is_empty());
        } else {
            prop_assert_eq!(saga.status(), SagaStatus::Completed);
        }
    }
}
