//! Every value a field schema admits is accepted by the field's parser, so that a client
//! generator or a fuzzer working from the document produces requests the server takes.
//! The two checksums no pattern states (`prc-resident-id`, `luhn`) are the only refusals
//! allowed.

use actix_web::test::TestRequest;
use onboard_services::links::LinkToken;
use onboard_workflows::domain::{
    CardNumber, GeoPoint, IdNumber, IdSuffix, Money, PairingCode, PairingOperation,
    PaymentAccountId, PersonName, Phone, VirtualAccountId,
};
use proptest::prelude::*;
use utoipa::openapi::Object;

use onboard_workflows::domain::is_invisible;

use super::fields::{self, CONTROL};
use crate::body;
use crate::idempotency::request_key;

/// Values of `schema`: strings matching its pattern within its length bounds.
fn values(schema: Object) -> impl Strategy<Value = String> {
    let pattern = schema.pattern.expect("a pattern");
    let inner = pattern
        .strip_prefix('^')
        .and_then(|p| p.strip_suffix('$'))
        .unwrap_or_else(|| panic!("{pattern} is not anchored"));
    let min = schema.min_length.expect("minLength");
    let max = schema.max_length.expect("maxLength");
    proptest::string::string_regex(inner)
        .expect("the pattern generates")
        .prop_filter("within the length bounds", move |value| {
            (min..=max).contains(&value.chars().count())
        })
}

proptest! {
    #[test]
    fn linking_values_of_the_schema_parse(
        virtual_id in values(fields::virtual_account_id()),
        token in values(fields::link_token()),
        amount in values(fields::payment_amount()),
        currency in values(fields::currency()),
    ) {
        prop_assert!(VirtualAccountId::parse(&virtual_id).is_ok(), "{virtual_id:?}");
        prop_assert!(LinkToken::presented(&token).is_some(), "{token:?}");
        prop_assert!(Money::positive(&amount, &currency).is_ok(), "{amount:?} {currency:?}");
    }

    #[test]
    fn pairing_codes_and_operations_of_the_schema_parse(
        code in values(fields::pairing_code()),
        operation in values(fields::pairing_operation()),
    ) {
        prop_assert!(PairingCode::parse(&code).is_ok(), "{code:?}");
        prop_assert!(PairingOperation::parse(&operation).is_ok(), "{operation:?}");
    }

    #[test]
    fn places_within_the_schemas_bounds_parse(
        lat in -85.051_128_78_f64..=85.051_128_78,
        lon in -180.0_f64..=180.0,
    ) {
        prop_assert!(GeoPoint::parse(lat, lon).is_ok());
    }

    #[test]
    fn names_of_the_schema_parse(name in values(fields::person_name())) {
        prop_assert!(PersonName::parse(&name).is_ok(), "{name:?}");
    }

    #[test]
    fn references_of_the_schema_parse(reference in values(fields::reference())) {
        prop_assert!(body::reference("f", &reference).is_ok(), "{reference:?}");
        prop_assert!(PaymentAccountId::parse(&reference).is_ok(), "{reference:?}");
    }

    #[test]
    fn id_numbers_of_the_schema_fail_at_most_their_check_character(
        id in values(fields::id_number())
    ) {
        if let Err(error) = IdNumber::parse(&id) {
            prop_assert_eq!(error.reason, "check character does not match", "{:?}", id);
        }
    }

    #[test]
    fn card_numbers_of_the_schema_fail_at_most_luhn(card in values(fields::card_number())) {
        if let Err(error) = CardNumber::parse(&card) {
            prop_assert_eq!(error.reason, "fails the Luhn check", "{:?}", card);
        }
    }

    #[test]
    fn id_suffixes_of_the_schema_parse(suffix in values(fields::id_number_suffix())) {
        prop_assert!(IdSuffix::parse(&suffix).is_ok(), "{suffix:?}");
    }

    #[test]
    fn phones_of_the_schema_parse(phone in values(fields::phone())) {
        prop_assert!(Phone::parse(&phone).is_ok(), "{phone:?}");
    }

    #[test]
    fn idempotency_keys_of_the_schema_are_taken(key in values(fields::idempotency_key())) {
        let request = TestRequest::default()
            .insert_header(("Idempotency-Key", key.as_str()))
            .to_http_request();
        prop_assert_eq!(request_key(&request).ok().flatten(), Some(key));
    }
}

/// The one-character texts: everything that is neither a control character nor invisible
/// is a name and a reference (the schema's "one visible character").
#[test]
fn every_visible_character_is_a_name_and_a_reference() {
    let listed = |ranges: &[(char, char)], c: char| {
        ranges
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&c))
    };
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        if listed(CONTROL, c) || is_invisible(c) {
            continue;
        }
        let text = c.to_string();
        assert!(PersonName::parse(&text).is_ok(), "{c:?}");
        assert!(body::reference("f", &text).is_ok(), "{c:?}");
    }
}

#[test]
fn the_documented_examples_parse() {
    let example = |schema: Object| {
        schema.examples[0]
            .as_str()
            .expect("a string example")
            .to_owned()
    };
    assert!(PersonName::parse(&example(fields::person_name())).is_ok());
    assert!(IdNumber::parse(&example(fields::id_number())).is_ok());
    assert!(IdSuffix::parse(&example(fields::id_number_suffix())).is_ok());
    assert!(Phone::parse(&example(fields::phone())).is_ok());
    assert!(CardNumber::parse(&example(fields::card_number())).is_ok());
}

#[test]
fn the_place_schemas_state_the_parsers_bounds() {
    use utoipa::Number;
    for (schema, limit) in [
        (fields::latitude(), 85.051_128_78),
        (fields::longitude(), 180.0),
    ] {
        assert!(schema.minimum == Some(Number::Float(-limit)), "{limit}");
        assert!(schema.maximum == Some(Number::Float(limit)), "{limit}");
    }
}
