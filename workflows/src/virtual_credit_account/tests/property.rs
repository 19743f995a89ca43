//! The property: random party answers at every call and random human and operator events
//! always end the saga completed, compensated or failed (only after a refused undo), with
//! exactly the saga's own binding undone, and personal data never in `Debug`.

use super::*;
use crate::saga::testkit::{a_cancel, Driver};
use crate::saga::{ErrorCode, SagaStatus, Signal, Tick};
use proptest::prelude::*;
use std::collections::BTreeMap;

const CARDS: [&str; 3] = [CARD, OTHER_CARD, "6011000000000004"];
const MAX_EVENTS: usize = 200;

/// The property's own view of the world beyond [`World`]: which undos were refused.
#[derive(Default)]
struct Trace {
    refused_unbinds: usize,
}

fn assert_masked(saga: &CreditApplication) -> Result<(), TestCaseError> {
    let debug = format!("{saga:?} {:?}", saga.next_action());
    prop_assert!(!debug.contains(ID_NUMBER), "id number in {}", debug);
    for card in CARDS {
        prop_assert!(!debug.contains(card), "card number in {}", debug);
    }
    Ok(())
}

/// How often, out of 16 calls, a party refuses a forward call or an undo, and an
/// operator cancels.
#[derive(Debug, Clone, Copy)]
struct Rates {
    refuse: u8,
    refuse_undo: u8,
    cancel: u8,
}

impl Rates {
    fn refusing(self, call: &PartyCall) -> u8 {
        match call {
            PartyCall::UnbindCard { .. } => self.refuse_undo,
            _ => self.refuse,
        }
    }
}

/// Plays `choices` against a fresh saga; once they run out every call succeeds, every wait
/// ends by its deadline and a failed saga stays failed.
fn play(world: &mut World, trace: &mut Trace, rates: Rates, choices: &[u8]) -> CreditApplication {
    let mut saga = CreditApplication::start(request(), DEADLINE_SECS);
    let mut choices = choices.iter().copied();
    for clock in 1..=MAX_EVENTS as i64 {
        assert_masked(&saga).unwrap();
        let choice = choices.next();
        saga = match saga.next_action() {
            Action::Call { call, step } => match choice.map(|c| c % 16) {
                Some(c) if c < rates.refusing(&call) => {
                    world.calls.push((step, call.clone()));
                    if call.operation() == "unbind_card" {
                        trace.refused_unbinds += 1;
                    }
                    let refused = CallOutcome::Refused {
                        code: RefusalCode::Declined,
                    };
                    saga.on_outcome(refused, &tick(clock)).unwrap()
                }
                Some(c) if c < rates.refusing(&call) + rates.cancel => saga
                    .clone()
                    .on_signal(Signal::Cancel, &tick(clock))
                    .unwrap_or(saga),
                Some(15) => {
                    let stray = Signal::SavingsCardSupplied {
                        card_number: card(CARD),
                    };
                    assert!(saga.clone().on_signal(stray, &tick(clock)).is_err());
                    saga
                }
                _ => {
                    let outcome = world.answer(&step, &call);
                    saga.on_outcome(outcome, &tick(clock)).unwrap()
                }
            },
            Action::Wait { deadline } => match choice.map(|c| (c % 8, usize::from(c / 8))) {
                Some((0..=4, n)) => {
                    let supplied = Signal::SavingsCardSupplied {
                        card_number: card(CARDS[n % CARDS.len()]),
                    };
                    saga.on_signal(supplied, &tick(clock)).unwrap()
                }
                Some((5, _)) => saga.on_signal(Signal::Cancel, &tick(clock)).unwrap(),
                Some((6, _)) => {
                    let early = Tick {
                        now: deadline - Duration::seconds(1),
                        fresh_prompt_id: testkit::prompt(0),
                    };
                    assert!(saga.clone().on_deadline(&early).is_err());
                    saga
                }
                _ => {
                    let due = Tick {
                        now: deadline,
                        fresh_prompt_id: testkit::prompt(0),
                    };
                    saga.on_deadline(&due).unwrap()
                }
            },
            Action::Finished => match (saga.status(), choice.map(|c| c % 2)) {
                (SagaStatus::Failed, Some(0)) => {
                    saga.on_signal(Signal::Retry, &tick(clock)).unwrap()
                }
                _ => return saga,
            },
        };
    }
    panic!("saga did not finish within {MAX_EVENTS} events");
}

fn card_refusal() -> impl Strategy<Value = Option<(&'static str, &'static str)>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(("verify_savings_card", "not_savings_card"))),
        1 => Just(Some(("verify_savings_card", "card_holder_mismatch"))),
        1 => Just(Some(("bind_savings_card", "already_bound"))),
    ]
}

/// A world where the person may hold a credit account or a savings binding already, and
/// each card may be refused.
fn world() -> impl Strategy<Value = World> {
    let holds_credit_account = proptest::bool::weighted(0.2);
    let pre_existing_binding = proptest::bool::weighted(0.3);
    let refusals = proptest::collection::vec(card_refusal(), CARDS.len());
    (holds_credit_account, pre_existing_binding, refusals).prop_map(|(holds, pre, refusals)| {
        World {
            holds_credit_account: holds,
            pre_existing_binding: pre,
            card_refusals: refusals
                .iter()
                .zip(CARDS)
                .filter_map(|(refusal, card)| refusal.map(|(op, code)| (op, card, code)))
                .collect(),
            ..World::default()
        }
    })
}

proptest! {
    // Many cases: only some runs get as far as a saga-made binding and its undo.
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn every_run_ends_final_and_undoes_exactly_its_own_binding(
        mut world in world(),
        refuse in 0u8..5,
        refuse_undo in 0u8..12,
        cancel in 0u8..3,
        choices in proptest::collection::vec(any::<u8>(), 0..60),
    ) {
        let mut trace = Trace::default();
        let saga = play(&mut world, &mut trace, Rates { refuse, refuse_undo, cancel }, &choices);
        assert_masked(&saga)?;

        prop_assert!(!world.pre_existing_unbound, "a pre-existing binding was unbound");
        prop_assert!(world.bindings.made() <= 1, "bound more than once: {:?}", world.bindings);
        let mut by_step: BTreeMap<&str, &PartyCall> = BTreeMap::new();
        for (step, call) in &world.calls {
            let first = *by_step.entry(step.as_str()).or_insert(call);
            prop_assert_eq!(first, call, "step {} carried two different calls", step);
        }

        match saga.status() {
            SagaStatus::Completed => {
                prop_assert!(saga.error().is_none());
                let result = saga.result().unwrap();
                if result.created {
                    prop_assert_eq!(world.credit_accounts.made(), 1);
                    let binding = result.savings_binding_id.unwrap();
                    let live = binding.as_str() == "sb_pre" || world.live_saga_bindings() == 1;
                    prop_assert!(live, "completed on a binding that is gone");
                } else {
                    prop_assert!(world.holds_credit_account);
                    prop_assert!(world.credit_accounts.made() + world.bindings.made() == 0);
                }
            }
            SagaStatus::Compensated => {
                prop_assert!(saga.error().is_some());
                prop_assert!(saga.result().is_none());
                prop_assert_eq!(world.live_saga_bindings(), 0);
                prop_assert!(saga.undo_stack().is_empty());
            }
            SagaStatus::Failed => {
                prop_assert!(trace.refused_unbinds > 0, "failed without a refused undo");
                prop_assert_eq!(saga.error().unwrap().code, ErrorCode::CompensationFailed);
                prop_assert_eq!(world.live_saga_bindings(), 1);
            }
            other => prop_assert!(false, "ended {:?}", other),
        }
    }
}

fn supplied(byte: u8) -> Signal {
    Signal::SavingsCardSupplied {
        card_number: card(CARDS[usize::from(byte) % CARDS.len()]),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_undo_stack_holds_exactly_the_effects_that_may_have_been_applied(
        world in world(),
        moves in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let mut driver = Driver::new(CreditApplication::start(request(), DEADLINE_SECS), world);
        driver.explore(&moves, |_, byte| supplied(byte));
        let (saga, world) = (&driver.saga, &driver.world);
        prop_assert!(!world.pre_existing_unbound, "a pre-existing binding was unbound");
        prop_assert_eq!(world.live_saga_bindings(), driver.ledger.applied().len());
        match saga.status() {
            SagaStatus::Completed => prop_assert!(saga.error().is_none()),
            SagaStatus::Compensated => {
                prop_assert_eq!(world.live_saga_bindings(), 0);
                prop_assert_eq!(world.credit_accounts.made(), 0);
            }
            SagaStatus::Failed => prop_assert_eq!(world.live_saga_bindings(), 1),
            other => prop_assert!(false, "ended {:?}", other),
        }
    }

    #[test]
    fn a_cancel_at_any_point_leaves_no_effect_behind(
        world in world(),
        at in 0usize..8,
        cancel in a_cancel(),
    ) {
        let mut driver = Driver::new(CreditApplication::start(request(), DEADLINE_SECS), world);
        let landed = driver.cancel_at(at, cancel, |_| Some(supplied(0)));
        let (saga, world) = (&driver.saga, &driver.world);
        prop_assert!(!world.pre_existing_unbound);
        match landed {
            None => prop_assert_eq!(saga.status(), SagaStatus::Completed),
            Some(Action::Call { step, .. }) if step == "create_credit_account" => {
                // The pivot may have been applied, so it is resolved first: applied here.
                prop_assert_eq!(saga.status(), SagaStatus::Completed);
                prop_assert_eq!(world.credit_accounts.made(), 1);
            }
            Some(_) => {
                prop_assert_eq!(saga.status(), SagaStatus::Compensated);
                prop_assert_eq!(saga.error().map(|e| e.code), Some(ErrorCode::Cancelled));
                prop_assert_eq!(world.live_saga_bindings(), 0);
                prop_assert_eq!(world.credit_accounts.made(), 0);
                prop_assert!(driver.ledger.maybe_applied().is_empty());
            }
        }
    }
}
