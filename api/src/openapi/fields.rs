//! The schemas of the request fields: what the parsers (`onboard_workflows::domain`,
//! `crate::body`, `crate::idempotency`) accept, as `minLength`, `maxLength`, `pattern`
//! and `format`, so that a client generator or a fuzzer produces requests the server
//! takes. Each schema is at most as permissive as its parser (`fields_tests` proves it);
//! where a parser is lenient (trimming, spaces in card numbers, a lower-case `x`) the
//! schema states the canonical form.
//!
//! Two checks no pattern can state get a `format` of their own: `prc-resident-id` (the
//! GB 11643 check character of an id number) and `luhn` (the check digit of a card
//! number).

use onboard_services::tickets::{
    KEY_CHARS, PASSWORD_MAX_CHARS, USERNAME_MAX_CHARS, USERNAME_MIN_CHARS,
};
use onboard_workflows::domain::{invisible_class, MAX_LATITUDE, MAX_LONGITUDE};
use utoipa::openapi::schema::{ObjectBuilder, OneOf, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{Object, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// Control characters (`char::is_control`): never accepted in free text.
pub const CONTROL: &[(char, char)] = &[('\u{0}', '\u{1f}'), ('\u{7f}', '\u{9f}')];

/// The longest person name, in characters (`PersonName`).
pub const NAME_MAX_CHARS: usize = 64;

/// The longest caller-chosen reference, in characters (`body::reference`).
pub const REFERENCE_MAX_CHARS: usize = 128;

/// The longest `Idempotency-Key`.
pub const IDEMPOTENCY_KEY_MAX_LEN: usize = 255;

/// The longest `?wait`, in seconds.
pub const WAIT_MAX_SECS: f64 = 30.0;

/// `ranges` (within the Basic Multilingual Plane) as the inside of a regular-expression
/// character class, with `\uXXXX` escapes that ECMA-262, Python and Rust read alike.
fn class(ranges: &[(char, char)]) -> String {
    ranges
        .iter()
        .map(|(first, last)| {
            let (first, last) = (u32::from(*first), u32::from(*last));
            if first == last {
                format!("\\u{first:04x}")
            } else {
                format!("\\u{first:04x}-\\u{last:04x}")
            }
        })
        .collect()
}

/// Free text: no control character, at least one visible character.
pub fn text_pattern() -> String {
    let control = class(CONTROL);
    let invisible = invisible_class();
    format!("^[^{control}]*[^{invisible}][^{control}]*$")
}

fn string(min: usize, max: usize, pattern: String, description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .description(Some(description))
}

/// A person's full name (`PersonName`).
pub fn person_name() -> Object {
    string(
        1,
        NAME_MAX_CHARS,
        text_pattern(),
        "Full name: 1–64 characters, no control characters, at least one visible one.",
    )
    .examples([serde_json::json!("张三")])
    .build()
}

/// A reference chosen by the caller (`body::reference`) or an id issued by a party
/// (`PaymentAccountId`).
pub fn reference() -> Object {
    string(
        1,
        REFERENCE_MAX_CHARS,
        text_pattern(),
        "1–128 characters, no control characters, at least one visible one.",
    )
    .build()
}

/// An 18-character PRC resident id number (`IdNumber`).
pub fn id_number() -> Object {
    string(
        18,
        18,
        "^[0-9]{17}[0-9Xx]$".to_owned(),
        "PRC resident id number: 17 digits and a check character (a digit or `X`) that \
         matches them (GB 11643, format `prc-resident-id`).",
    )
    .format(Some(SchemaFormat::Custom("prc-resident-id".to_owned())))
    .examples([serde_json::json!("110101199003074514")])
    .build()
}

/// The last characters of an id number (`IdSuffix`).
pub fn id_number_suffix() -> Object {
    string(
        4,
        6,
        "^[0-9]{3,5}[0-9Xx]$".to_owned(),
        "The last 4–6 characters of the id number: digits, the last one may be `X`.",
    )
    .examples([serde_json::json!("074514")])
    .build()
}

/// A mobile number in E.164 form (`Phone`).
pub fn phone() -> Object {
    string(
        9,
        16,
        "^\\+[1-9][0-9]{7,14}$".to_owned(),
        "E.164: `+`, then 8–15 digits, the first not 0.",
    )
    .examples([serde_json::json!("+8613800138000")])
    .build()
}

/// A bank card number (`CardNumber`).
pub fn card_number() -> Object {
    string(
        12,
        19,
        "^[0-9]{12,19}$".to_owned(),
        "12–19 digits whose last is the Luhn check digit (format `luhn`). Spaces between \
         the digits are ignored.",
    )
    .format(Some(SchemaFormat::Custom("luhn".to_owned())))
    .examples([serde_json::json!("6222021234567890128")])
    .build()
}

/// A username (`tickets::Username`): 3–64 characters, none of them whitespace, control or
/// invisible characters.
pub fn username() -> Object {
    let control = class(CONTROL);
    let invisible = invisible_class();
    string(
        USERNAME_MIN_CHARS,
        USERNAME_MAX_CHARS,
        format!("^[^\\s{control}{invisible}]+$"),
        "3–64 characters without spaces, control or invisible characters (NFKC-normalised; \
         told apart case-insensitively).",
    )
    .examples([serde_json::json!("li.lei")])
    .build()
}

/// A password (`tickets::Password`): at most 256 characters. A new account's must be at
/// least 10 and not easily guessed (422 `weak_password` otherwise).
pub fn password() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(PASSWORD_MAX_CHARS))
        .description(Some(
            "At most 256 characters (NFKC-normalised). A new account's password must have at \
             least 10 and not be easily guessed: 422 `weak_password` otherwise.",
        ))
        .examples([serde_json::json!("correct horse battery staple")])
        .build()
}

/// A ticket's authorization or refresh key (`tickets::TicketKey`): 256 bits as unpadded
/// base64url, whose last character carries two zero bits.
pub fn ticket_key() -> Object {
    string(
        KEY_CHARS,
        KEY_CHARS,
        "^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$".to_owned(),
        "A key Onboard issued: 43 base64url characters (256 random bits).",
    )
    .examples([serde_json::json!(
        "q7Jx0VvTqk3p9cS2r8FhWm1eZbYdNgAoLiKuXwHsCtE"
    )])
    .build()
}

/// A user id (`tickets::UserId`).
pub fn user_id() -> Object {
    string(
        36,
        36,
        "^usr_[0-9a-f]{32}$".to_owned(),
        "`usr_` and 32 lower-case hex digits.",
    )
    .examples([serde_json::json!("usr_5f0c3e9a7b1d4c2e8f6a0b9d7c5e3a1f")])
    .build()
}

/// A virtual service account id (`VirtualAccountId`).
pub fn virtual_account_id() -> Object {
    string(
        35,
        35,
        "^va_[0-9a-f]{32}$".to_owned(),
        "`va_` and 32 lower-case hex digits.",
    )
    .examples([serde_json::json!("va_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")])
    .build()
}

/// A link token (`links::LinkToken`): `lt_` and 256 random bits as unpadded base64url. A
/// token of another shape is answered like an unknown one (404 `link_not_found`).
pub fn link_token() -> Object {
    string(
        46,
        46,
        "^lt_[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$".to_owned(),
        "The token `POST /v1/links` handed out: `lt_` and 43 base64url characters.",
    )
    .examples([serde_json::json!(
        "lt_q7Jx0VvTqk3p9cS2r8FhWm1eZbYdNgAoLiKuXwHsCtE"
    )])
    .build()
}

/// A payment amount (`Money::positive`): above zero, at most two decimals.
pub fn payment_amount() -> Object {
    string(
        1,
        18,
        r"^([1-9][0-9]{0,14}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$".to_owned(),
        "A decimal above zero with at most two decimals, e.g. `12.50`.",
    )
    .examples([serde_json::json!("12.50")])
    .build()
}

/// A currency code (`Money`).
pub fn currency() -> Object {
    string(3, 3, "^[A-Z]{3}$".to_owned(), "ISO 4217, e.g. `CNY`.")
        .examples([serde_json::json!("CNY")])
        .build()
}

/// What a service request asks of the wallet (`ServiceOperation`).
pub fn service_operation() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["charge"]))
        .description(Some("`charge`: charge the linked payment account."))
        .build()
}

/// A number within `±limit`.
fn degrees(limit: f64, description: &str, example: f64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(-limit))
        .maximum(Some(limit))
        .description(Some(description))
        .examples([serde_json::json!(example)])
        .build()
}

/// A latitude (`GeoPoint`): what Redis GEO can index.
pub fn latitude() -> Object {
    degrees(
        MAX_LATITUDE,
        "Latitude, degrees (WGS 84), within ±85.05112878.",
        31.2304,
    )
}

/// A longitude (`GeoPoint`).
pub fn longitude() -> Object {
    degrees(
        MAX_LONGITUDE,
        "Longitude, degrees (WGS 84), within ±180.",
        121.4737,
    )
}

/// A pairing code as typed (`PairingCode`).
pub fn pairing_code() -> Object {
    string(6, 6, "^[0-9]{6}$".to_owned(), "Exactly 6 decimal digits.")
        .examples([serde_json::json!("042917")])
        .build()
}

/// What two people pair for (`PairingOperation`).
pub fn pairing_operation() -> Object {
    string(
        1,
        32,
        "^[a-z_]+$".to_owned(),
        "1–32 characters of `a-z` and `_`, e.g. `pay` or `add_contact`.",
    )
    .examples([serde_json::json!("pay")])
    .build()
}

/// The `Idempotency-Key` header (`Idempotency::key`).
pub fn idempotency_key() -> Object {
    string(
        1,
        IDEMPOTENCY_KEY_MAX_LEN,
        "^[!-~]+$".to_owned(),
        "1–255 visible ASCII characters.",
    )
    .build()
}

/// The `traceparent` header of a request that creates a workflow (W3C Trace Context).
pub fn traceparent() -> Object {
    string(
        55,
        55,
        "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$".to_owned(),
        "`00-`, the trace id (32 hex), `-`, the parent span id (16 hex), `-`, the flags (2 hex).",
    )
    .examples([serde_json::json!(
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    )])
    .build()
}

/// The `{id}` of a path: any non-empty segment (one that is not of an id's shape, or
/// names nothing, is 404).
pub fn path_id() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .examples([serde_json::json!("wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364")])
        .build()
}

/// `?wait`: seconds to hold a workflow `GET`.
pub fn wait() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0))
        .maximum(Some(WAIT_MAX_SECS))
        .build()
}

/// `?limit` of the workflow listing: any count a `usize` holds is taken (the handler
/// clamps it to 1–1000).
pub fn list_limit() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0))
        .maximum(Some(usize::MAX as u64))
        .build()
}

/// A listing filter: one of the named enum's values, or empty for no filter (as an HTML
/// form sends an unset select).
fn filter(values: &str) -> OneOf {
    OneOfBuilder::new()
        .item(Ref::from_schema_name(values))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([""])),
        )
        .build()
}

/// `?status` of the workflow listing.
pub fn status_filter() -> OneOf {
    filter("WorkflowStatus")
}

/// `?kind` of the workflow listing.
pub fn kind_filter() -> OneOf {
    filter("WorkflowKind")
}

/// Parameter types: a parameter declared `#[param(value_type = …, inline)]` with one of
/// these gets the field's schema and keeps its own description and `required`, which
/// `schema_with` drops.
macro_rules! parameter_type {
    ($(#[$doc:meta])* $name:ident = $schema:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                Schema::from($schema()).into()
            }
        }

        impl ToSchema for $name {}
    };
}

parameter_type!(
    /// A [`reference`] parameter.
    ReferenceParam = reference
);
parameter_type!(
    /// A [`path_id`] parameter.
    PathIdParam = path_id
);
parameter_type!(
    /// The [`wait`] parameter.
    WaitParam = wait
);
parameter_type!(
    /// The [`list_limit`] parameter.
    ListLimitParam = list_limit
);
parameter_type!(
    /// The [`status_filter`] parameter.
    StatusFilterParam = status_filter
);
parameter_type!(
    /// The [`kind_filter`] parameter.
    KindFilterParam = kind_filter
);
