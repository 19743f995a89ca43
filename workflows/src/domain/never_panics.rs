//! The property every parser at the edge must have: any text, however odd its Unicode,
//! is either parsed or refused, never a panic (a panic would drop the request and print
//! the input to stderr).

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;

/// Characters that break byte/char assumptions: multi-byte letters and digits, combining
/// marks, bidi controls, zero-width characters, and the ASCII ones the parsers look for.
const TRICKY: [char; 35] = [
    '0',
    '1',
    '9',
    'X',
    'x',
    ' ',
    '.',
    '+',
    '-',
    '_',
    '\0',
    '\n',
    'é',
    '张',
    'Ä',
    '𝟘',
    '🙂',
    '１',
    '٣',
    'ǅ',
    'ß',
    '\u{0301}',
    '\u{0300}',
    '\u{20DD}',
    '\u{202E}',
    '\u{2066}',
    '\u{200E}',
    '\u{061C}',
    '\u{200B}',
    '\u{200D}',
    '\u{FEFF}',
    '\u{00AD}',
    '\u{3000}',
    '\u{FFFD}',
    '\u{E0041}',
];

/// Valid inputs of each parser, to be damaged one character at a time.
const SEEDS: [&str; 14] = [
    "11010519491231002X",
    "110101199003074514",
    "4111111111111111",
    "+8613800138000",
    "1234.50",
    "31002X",
    "CNY",
    "张三",
    "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
    "ca_d2c838ff08ee39269f4398dc6b6f72bd-9f86d081884c7d65",
    "pa_4f1c2b9a8d7e6f5a4b3c2d1e",
    "va_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
    "lnk_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
    "12.5",
];

/// Text of tricky characters only.
fn tricky() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&TRICKY[..]), 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A valid input with one tricky character inserted or put in place of another: the
/// shape that slips past a length check counted in bytes.
fn near_valid() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&SEEDS[..]),
        any::<prop::sample::Index>(),
        prop::sample::select(&TRICKY[..]),
        any::<bool>(),
    )
        .prop_map(|(seed, at, c, replace)| {
            let mut chars: Vec<char> = seed.chars().collect();
            let at = at.index(chars.len() + 1);
            if replace && at < chars.len() {
                chars[at] = c;
            } else {
                chars.insert(at, c);
            }
            chars.into_iter().collect()
        })
}

/// Any text: arbitrary Unicode, tricky characters, or damaged valid input.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tricky(), near_valid()]
}

/// Parses `raw` with every single-text parser, directly and through serde, and uses
/// whatever parsed the way the API does (masking, suffixes, matching).
fn parse_everything(raw: &str) {
    let as_json = Value::String(raw.to_owned());
    if let Ok(id) = IdNumber::parse(raw) {
        let _ = (
            id.to_string(),
            format!("{id:?}"),
            id.suffix(6),
            id.suffix(99),
        );
    }
    if let Ok(card) = CardNumber::parse(raw) {
        let _ = (card.to_string(), format!("{card:?}"), card.last4());
    }
    if let Ok(phone) = Phone::parse(raw) {
        let _ = (phone.to_string(), format!("{phone:?}"));
    }
    if let Ok(name) = PersonName::parse(raw) {
        let _ = (name.masked(), format!("{name:?}"));
    }
    if let Ok(suffix) = IdSuffix::parse(raw) {
        let _ = (suffix.to_string(), format!("{suffix:?}"));
    }
    let _ = serde_json::from_value::<IdNumber>(as_json.clone());
    let _ = serde_json::from_value::<CardNumber>(as_json.clone());
    let _ = serde_json::from_value::<Phone>(as_json.clone());
    let _ = serde_json::from_value::<PersonName>(as_json.clone());
    if let Ok(workflow) = WorkflowId::parse(raw) {
        let _ = (workflow.to_string(), format!("{workflow:?}"));
    }
    if let Ok(prompt) = PromptId::parse(raw) {
        let _ = (prompt.to_string(), prompt.workflow_id().as_str().len());
    }
    if let Ok(account) = PaymentAccountId::parse(raw) {
        let _ = (account.to_string(), format!("{account:?}"));
    }
    if let Ok(binding) = BindingId::parse(raw) {
        let _ = (binding.to_string(), format!("{binding:?}"));
    }
    if let Ok(credit) = CreditAccountId::parse(raw) {
        let _ = (credit.to_string(), format!("{credit:?}"));
    }
    if let Ok(code) = PairingCode::parse(raw) {
        let _ = (code.to_string(), format!("{code:?}"), code.number());
    }
    if let Ok(virtual_id) = VirtualAccountId::parse(raw) {
        let _ = (virtual_id.to_string(), format!("{virtual_id:?}"));
    }
    if let Ok(link) = LinkId::parse(raw) {
        let _ = (link.to_string(), format!("{link:?}"));
    }
    if let Ok(charge) = ChargeId::parse(raw) {
        let _ = (charge.to_string(), format!("{charge:?}"));
    }
    let _ = serde_json::from_value::<VirtualAccountId>(as_json.clone());
    let _ = serde_json::from_value::<LinkId>(as_json.clone());
    let _ = PairingOperation::parse(raw);
    let _ = serde_json::from_value::<PairingOperation>(as_json.clone());
    let _ = serde_json::from_value::<IdSuffix>(as_json.clone());
    let _ = serde_json::from_value::<WorkflowId>(as_json.clone());
    let _ = serde_json::from_value::<PromptId>(as_json.clone());
    let _ = serde_json::from_value::<PaymentAccountId>(as_json.clone());
    let _ = serde_json::from_value::<BindingId>(as_json.clone());
    let _ = serde_json::from_value::<CreditAccountId>(as_json);
    let _ = mask_tail(raw, 4);
    let _ = raw.chars().any(is_invisible);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn single_text_parsers_never_panic(raw in text()) {
        parse_everything(&raw);
    }

    #[test]
    fn money_never_panics(amount in text(), currency in text()) {
        if let Ok(money) = Money::parse(&amount, &currency) {
            let _ = (money.to_string(), money.amount(), money.currency());
        }
        if let Ok(money) = Money::positive(&amount, &currency) {
            let _ = (money.to_string(), money.amount(), money.currency());
        }
        let _ = serde_json::from_value::<Money>(json!({"amount": amount, "currency": currency}));
    }

    #[test]
    fn history_never_panics(
        volume in text(),
        months in any::<i64>(),
        count in any::<u64>(),
        raw in text(),
    ) {
        let _ = serde_json::from_value::<History>(json!({
            "months_active": months,
            "payment_count": count,
            "payment_volume": volume,
        }));
        let _ = serde_json::from_str::<History>(&raw);
        let _ = serde_json::from_str::<Money>(&raw);
    }

    #[test]
    fn geo_points_never_panic(lat in any::<f64>(), lon in any::<f64>(), other in any::<(f64, f64)>()) {
        if let (Ok(a), Ok(b)) = (GeoPoint::parse(lat, lon), GeoPoint::parse(other.0, other.1)) {
            let d = a.distance_m(&b);
            prop_assert!(d.is_finite() && d >= 0.0);
            let _ = (a.to_string(), format!("{a:?}"));
        }
    }

    #[test]
    fn real_name_matching_never_panics(
        typed in text(),
        record in text(),
        tail in prop_oneof![text(), "[0-9]{3,5}[0-9Xx]"],
        id in prop::sample::select(&SEEDS[..2]),
    ) {
        let id = IdNumber::parse(id).expect("seed ids are valid");
        if let (Ok(typed), Ok(record), Ok(tail)) = (
            PersonName::parse(&typed),
            PersonName::parse(&record),
            IdSuffix::parse(&tail),
        ) {
            let _ = real_name_matches(&typed, &tail, &record, &id);
        }
    }
}
