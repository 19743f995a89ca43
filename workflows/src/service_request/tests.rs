//! Every path of the service-request saga: charged, refused, cancelled while the charge is
//! in flight (either way), and an answer of the wrong shape.

use super::*;
use crate::domain::{ChargeId, Money, VirtualAccountId};
use crate::saga::testkit::{self, refuses_late_events, tick};
use crate::saga::{
    Action, CallOutcome, ErrorCode, PartyCall, PartyReply, RefusalCode, Saga, SagaStatus, Signal,
    StepStatus,
};

fn order(amount: &str) -> ServiceRequestOrder {
    ServiceRequestOrder {
        merchant_id: "sandbox-merchant".into(),
        virtual_account_id: VirtualAccountId::new([7; 16]),
        payment_account_id: testkit::account("pa_1"),
        operation: ServiceOperation::Charge,
        amount: Money::positive(amount, "CNY").unwrap(),
    }
}

fn charged() -> CallOutcome {
    CallOutcome::Succeeded(PartyReply::Charged {
        charge_id: ChargeId::parse("ch_1").unwrap(),
    })
}

fn refused(code: &str) -> CallOutcome {
    CallOutcome::Refused {
        code: RefusalCode::from(code),
    }
}

#[test]
fn the_wallet_charges_the_real_account_under_the_charge_step() {
    let saga = ServiceRequest::start(order("12.5"));
    assert_eq!(saga.status(), SagaStatus::Running);
    let Action::Call { call, step } = saga.next_action() else {
        panic!("a new service request calls the wallet");
    };
    assert_eq!(step, "charge");
    assert_eq!(
        call,
        PartyCall::Charge {
            payment_account_id: testkit::account("pa_1"),
            merchant_id: "sandbox-merchant".into(),
            amount: Money::parse("12.50", "CNY").unwrap(),
        }
    );
    let done = saga.on_outcome(charged(), &tick(1)).unwrap();
    assert_eq!(done.status(), SagaStatus::Completed);
    assert_eq!(done.next_action(), Action::Finished);
    assert_eq!(
        done.result_json(),
        Some(serde_json::json!({"charge_id": "ch_1"}))
    );
    assert_eq!(done.steps()[0].status, StepStatus::Done);
    refuses_late_events(&done);
}

#[test]
fn a_refused_charge_rejects_the_request_with_nothing_to_undo() {
    for (code, expected) in [
        ("insufficient_funds", ErrorCode::InsufficientFunds),
        ("declined", ErrorCode::ChargeRefused),
        ("account_not_found", ErrorCode::ChargeRefused),
    ] {
        let saga = ServiceRequest::start(order("20000"));
        let rejected = saga.on_outcome(refused(code), &tick(1)).unwrap();
        assert_eq!(rejected.status(), SagaStatus::Compensated, "{code}");
        assert_eq!(rejected.error().unwrap().code, expected);
        assert_eq!(rejected.next_action(), Action::Finished);
        assert_eq!(rejected.result_json(), None);
        assert_eq!(rejected.steps()[0].status, StepStatus::Failed);
        refuses_late_events(&rejected);
    }
}

#[test]
fn a_cancel_while_charging_waits_for_the_charge_which_then_stands() {
    let saga = ServiceRequest::start(order("1"));
    let resolving = saga.on_signal(Signal::Cancel, &tick(1)).unwrap();
    assert_eq!(resolving.status(), SagaStatus::Compensating);
    assert!(matches!(resolving.next_action(), Action::Call { step, .. } if step == "charge"));
    let done = resolving.clone().on_outcome(charged(), &tick(2)).unwrap();
    assert_eq!(done.status(), SagaStatus::Completed);
    assert_eq!(done.error(), None);
    let cancelled = resolving
        .on_outcome(refused("insufficient_funds"), &tick(2))
        .unwrap();
    assert_eq!(cancelled.status(), SagaStatus::Compensated);
    assert_eq!(cancelled.error().unwrap().code, ErrorCode::Cancelled);
}

#[test]
fn an_answer_of_the_wrong_shape_is_a_protocol_error() {
    let saga = ServiceRequest::start(order("1"));
    let wrong = CallOutcome::Succeeded(PartyReply::Undone);
    let ended = saga.on_outcome(wrong, &tick(1)).unwrap();
    assert_eq!(ended.status(), SagaStatus::Compensated);
    assert_eq!(ended.error().unwrap().code, ErrorCode::PartyProtocolError);
}

#[test]
fn operations_parse_by_their_wire_name_only() {
    assert_eq!(
        ServiceOperation::parse("charge").unwrap(),
        ServiceOperation::Charge
    );
    for bad in ["", "Charge", "refund", "charge "] {
        assert_eq!(ServiceOperation::parse(bad).unwrap_err().field, "operation");
    }
}
