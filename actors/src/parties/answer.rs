//! What a party's answer means, classified honestly: only a definite refusal says that
//! nothing was done. Anything the runtime cannot read is never taken for a refusal,
//! because the call may have been applied; it is retried under the same idempotency key
//! until the party says what it did.

use onboard_workflows::{CallOutcome, PartyCall, RefusalCode};
use reqwest::StatusCode;
use serde::Deserialize;

use super::wire;
use super::PartyError;

/// The code a party sends while a call under the same key is still being processed.
const REQUEST_IN_PROGRESS: &str = "request_in_progress";

/// The refusal codes `call`'s operation documents besides `declined` (which every
/// operation may answer): each says that the party applied nothing.
fn documented_refusals(call: &PartyCall) -> &'static [RefusalCode] {
    match call {
        PartyCall::RegisterAccount { .. } => &[RefusalCode::AccountExists],
        PartyCall::SavingsStatus { .. } | PartyCall::AccountProfile { .. } => {
            &[RefusalCode::AccountNotFound]
        }
        PartyCall::VerifySavingsCard { .. } => {
            &[RefusalCode::NotSavingsCard, RefusalCode::CardHolderMismatch]
        }
        PartyCall::BindSavingsCard { .. } => {
            &[RefusalCode::AlreadyBound, RefusalCode::AccountNotFound]
        }
        PartyCall::CreateCreditAccount { .. } => &[RefusalCode::CreditAccountExists],
        PartyCall::Charge { .. } => &[RefusalCode::InsufficientFunds, RefusalCode::AccountNotFound],
        PartyCall::LookupPerson { .. }
        | PartyCall::CloseAccount { .. }
        | PartyCall::VerifyCard { .. }
        | PartyCall::BindCard { .. }
        | PartyCall::UnbindCard { .. }
        | PartyCall::SecurityRule { .. }
        | PartyCall::CreditAccountLookup { .. } => &[],
    }
}

/// The meaning of the answer `status` + `body` to `call`: the party's reply, a definite
/// refusal, or a [`PartyError`] (transient or unexpected) to retry.
pub(crate) fn classify(
    call: &PartyCall,
    status: StatusCode,
    body: &[u8],
) -> Result<CallOutcome, PartyError> {
    let code = problem_code(body);
    if status.is_success() {
        return wire::reply(call, body)
            .map(CallOutcome::Succeeded)
            .map_err(|_| PartyError::Unexpected {
                status: status.as_u16(),
                reason: "the body is not the operation's answer",
            });
    }
    if is_transient(status, code.as_deref()) {
        return Err(PartyError::Unavailable(status.as_u16()));
    }
    match code.map(RefusalCode::from) {
        Some(code)
            if status.is_client_error()
                && (code == RefusalCode::Declined || documented_refusals(call).contains(&code)) =>
        {
            Ok(CallOutcome::Refused { code })
        }
        _ => Err(PartyError::Unexpected {
            status: status.as_u16(),
            reason: "no refusal the operation documents",
        }),
    }
}

/// 5xx, 408, 409 `request_in_progress`, 425 and 429: the party may answer differently soon.
fn is_transient(status: StatusCode, code: Option<&str>) -> bool {
    status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_EARLY
        || status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::CONFLICT && code == Some(REQUEST_IN_PROGRESS))
}

/// The `code` of an error body, if it has one.
fn problem_code(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Problem {
        code: String,
    }
    serde_json::from_slice::<Problem>(body).ok().map(|p| p.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboard_workflows::domain::{BindingId, CardNumber, PaymentAccountId};
    use onboard_workflows::PartyReply;

    fn bind() -> PartyCall {
        PartyCall::BindCard {
            payment_account_id: PaymentAccountId::parse("pa_1").unwrap(),
            card_number: CardNumber::parse("4111111111111111").unwrap(),
        }
    }

    fn classify_bind(status: u16, body: &str) -> Result<CallOutcome, PartyError> {
        classify(
            &bind(),
            StatusCode::from_u16(status).unwrap(),
            body.as_bytes(),
        )
    }

    #[test]
    fn a_readable_success_is_the_reply() {
        assert_eq!(
            classify_bind(200, r#"{"binding_id":"bd_1"}"#).unwrap(),
            CallOutcome::Succeeded(PartyReply::CardBound {
                binding_id: BindingId::parse("bd_1").unwrap()
            })
        );
    }

    #[test]
    fn only_a_documented_refusal_code_is_a_refusal() {
        assert_eq!(
            classify_bind(422, r#"{"code":"declined","detail":"no"}"#).unwrap(),
            CallOutcome::Refused {
                code: "declined".into()
            }
        );
        let register = PartyCall::RegisterAccount {
            name: onboard_workflows::domain::PersonName::parse("Li Lei").unwrap(),
            id_number: onboard_workflows::domain::IdNumber::parse("11010519491231002X").unwrap(),
            phone: onboard_workflows::domain::Phone::parse("+8613800138000").unwrap(),
        };
        assert_eq!(
            classify(
                &register,
                StatusCode::CONFLICT,
                br#"{"code":"account_exists"}"#
            )
            .unwrap(),
            CallOutcome::Refused {
                code: "account_exists".into()
            }
        );
        // bind_card does not document account_exists.
        assert!(matches!(
            classify_bind(409, r#"{"code":"account_exists"}"#),
            Err(PartyError::Unexpected { status: 409, .. })
        ));
    }

    #[test]
    fn transient_answers_are_retried() {
        for (status, body) in [
            (500, ""),
            (503, r#"{"code":"declined"}"#),
            (408, ""),
            (425, ""),
            (429, ""),
            (409, r#"{"code":"request_in_progress"}"#),
        ] {
            assert!(
                matches!(
                    classify_bind(status, body),
                    Err(PartyError::Unavailable(s)) if s == status
                ),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn answers_that_may_hide_an_applied_effect_are_unexpected_never_refusals() {
        for (status, body) in [
            (200, "<html>garbled</html>"),
            (200, r#"{"binding":"bd_1"}"#),
            (200, r#"{"binding_id":""}"#),
            (200, r#"{"binding_id":"bd\u001b1"}"#),
            (401, r#"{"code":"unauthorized"}"#),
            (404, "Not Found"),
            (404, r#"{"code":"not_found"}"#),
            (409, r#"{"code":"conflict"}"#),
            (400, r#"{"code":"validation_failed"}"#),
            (302, ""),
        ] {
            assert!(
                matches!(
                    classify_bind(status, body),
                    Err(PartyError::Unexpected { .. })
                ),
                "{status} {body}"
            );
        }
    }
}
