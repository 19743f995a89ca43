//! The parties' wire format: request path and body of every call, and how each answer
//! becomes a [`PartyReply`].

use onboard_workflows::domain::Money;
use onboard_workflows::{Party, PartyCall, PartyReply};
use serde::Deserialize;
use serde_json::{json, Value};

/// The path (below the parties' base URL) and JSON body of a call. Personal data is
/// exposed here, and only here, because the party needs it.
pub(crate) fn request(call: &PartyCall) -> (String, Value) {
    let party = match call.party() {
        Party::Wallet => "wallet",
        Party::Bank => "bank",
    };
    let body = match call {
        PartyCall::LookupPerson { id_number } => json!({ "id_number": id_number.expose() }),
        PartyCall::RegisterAccount {
            name,
            id_number,
            phone,
        } => json!({
            "name": name.expose(),
            "id_number": id_number.expose(),
            "phone": phone.expose(),
        }),
        PartyCall::CloseAccount { payment_account_id }
        | PartyCall::SecurityRule { payment_account_id } => {
            json!({ "payment_account_id": payment_account_id })
        }
        PartyCall::VerifyCard {
            card_number,
            id_number,
        } => json!({
            "card_number": card_number.expose(),
            "id_number": id_number.expose(),
        }),
        PartyCall::BindCard {
            payment_account_id,
            card_number,
        } => json!({
            "payment_account_id": payment_account_id,
            "card_number": card_number.expose(),
        }),
        PartyCall::UnbindCard { binding_id } => json!({ "binding_id": binding_id }),
        PartyCall::CreditAccountLookup { name, id_number } => json!({
            "name": name.expose(),
            "id_number": id_number.expose(),
        }),
        PartyCall::SavingsStatus { payment_account_id } => {
            json!({ "payment_account_id": payment_account_id })
        }
        PartyCall::VerifySavingsCard {
            card_number,
            id_number,
        } => json!({
            "card_number": card_number.expose(),
            "id_number": id_number.expose(),
        }),
        PartyCall::BindSavingsCard {
            payment_account_id,
            card_number,
        } => json!({
            "payment_account_id": payment_account_id,
            "card_number": card_number.expose(),
        }),
        PartyCall::CreateCreditAccount {
            name,
            id_number,
            payment_account_id,
            savings_binding_id,
            history,
        } => json!({
            "name": name.expose(),
            "id_number": id_number.expose(),
            "payment_account_id": payment_account_id,
            "savings_binding_id": savings_binding_id,
            "history": history,
        }),
    };
    (format!("/{party}/{}", call.operation()), body)
}

#[derive(Deserialize)]
struct Lookup {
    payment_account_id: Option<String>,
}

#[derive(Deserialize)]
struct Registered {
    payment_account_id: String,
}

#[derive(Deserialize)]
struct Bound {
    binding_id: String,
}

#[derive(Deserialize)]
struct Rule {
    prompt_required: bool,
}

#[derive(Deserialize)]
struct CreditLookup {
    credit_account_id: Option<String>,
    credit_limit: Option<Money>,
}

#[derive(Deserialize)]
struct Savings {
    savings_binding_id: Option<String>,
}

#[derive(Deserialize)]
struct CreditCreated {
    credit_account_id: String,
    credit_limit: Money,
}

/// The reply a successful answer to `call` carries, or why the body does not fit.
pub(crate) fn reply(call: &PartyCall, body: &[u8]) -> Result<PartyReply, serde_json::Error> {
    Ok(match call {
        PartyCall::LookupPerson { .. } => PartyReply::PersonLookedUp {
            payment_account_id: serde_json::from_slice::<Lookup>(body)?.payment_account_id,
        },
        PartyCall::RegisterAccount { .. } => PartyReply::AccountRegistered {
            payment_account_id: serde_json::from_slice::<Registered>(body)?.payment_account_id,
        },
        PartyCall::VerifyCard { .. } => PartyReply::CardVerified,
        PartyCall::BindCard { .. } => PartyReply::CardBound {
            binding_id: serde_json::from_slice::<Bound>(body)?.binding_id,
        },
        PartyCall::SecurityRule { .. } => PartyReply::SecurityRuleDecided {
            prompt_required: serde_json::from_slice::<Rule>(body)?.prompt_required,
        },
        PartyCall::CloseAccount { .. } | PartyCall::UnbindCard { .. } => PartyReply::Undone,
        PartyCall::CreditAccountLookup { .. } => {
            let found: CreditLookup = serde_json::from_slice(body)?;
            PartyReply::CreditAccountLookedUp {
                credit_account_id: found.credit_account_id,
                credit_limit: found.credit_limit,
            }
        }
        PartyCall::SavingsStatus { .. } => PartyReply::SavingsStatusReported {
            savings_binding_id: serde_json::from_slice::<Savings>(body)?.savings_binding_id,
        },
        PartyCall::VerifySavingsCard { .. } => PartyReply::SavingsCardVerified,
        PartyCall::BindSavingsCard { .. } => PartyReply::SavingsCardBound {
            binding_id: serde_json::from_slice::<Bound>(body)?.binding_id,
        },
        PartyCall::CreateCreditAccount { .. } => {
            let created: CreditCreated = serde_json::from_slice(body)?;
            PartyReply::CreditAccountCreated {
                credit_account_id: created.credit_account_id,
                credit_limit: created.credit_limit,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboard_workflows::domain::{CardNumber, IdNumber, PersonName};

    #[test]
    fn calls_go_to_their_party_and_operation_with_the_exposed_values() {
        let call = PartyCall::VerifySavingsCard {
            card_number: CardNumber::parse("4111111111111111").unwrap(),
            id_number: IdNumber::parse("11010519491231002X").unwrap(),
        };
        let (path, body) = request(&call);
        assert_eq!(path, "/bank/verify_savings_card");
        assert_eq!(body["card_number"], "4111111111111111");
        assert_eq!(body["id_number"], "11010519491231002X");

        let call = PartyCall::CreditAccountLookup {
            name: PersonName::parse("Li Lei").unwrap(),
            id_number: IdNumber::parse("11010519491231002X").unwrap(),
        };
        assert_eq!(request(&call).0, "/bank/credit_account_lookup");
    }

    #[test]
    fn answers_become_replies_and_bad_shapes_are_errors() {
        let call = PartyCall::SavingsStatus {
            payment_account_id: "pa_1".into(),
        };
        assert_eq!(
            reply(&call, br#"{"savings_binding_id":null,"card_last4":null}"#).unwrap(),
            PartyReply::SavingsStatusReported {
                savings_binding_id: None
            }
        );
        let lookup = PartyCall::CreditAccountLookup {
            name: PersonName::parse("Li Lei").unwrap(),
            id_number: IdNumber::parse("11010519491231002X").unwrap(),
        };
        let found = reply(
            &lookup,
            br#"{"credit_account_id":"ca_1","credit_limit":{"amount":"5000.00","currency":"CNY"}}"#,
        )
        .unwrap();
        assert!(matches!(
            found,
            PartyReply::CreditAccountLookedUp { credit_account_id: Some(ref id), credit_limit: Some(_) } if id == "ca_1"
        ));
        assert!(reply(
            &lookup,
            br#"{"credit_limit":{"amount":"5","currency":"CNY"}}"#
        )
        .is_err());
    }
}
