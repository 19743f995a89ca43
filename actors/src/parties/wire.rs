//! The parties' wire format: request path and body of every call, and how each answer
//! becomes a [`PartyReply`].

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
    })
}

/// The `code` of a party's refusal body, if it has one.
pub(crate) fn refusal_code(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Refusal {
        code: String,
    }
    serde_json::from_slice::<Refusal>(body).ok().map(|r| r.code)
}
