//! Valid, unique test data: PRC resident id numbers, Luhn-valid card numbers,
//! E.164 phones and names.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use rand::Rng;
use serde_json::{json, Value};

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const SURNAMES: [&str; 10] = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴"];
const GIVEN: [&str; 24] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华",
];

/// A person as the bank knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Full name, e.g. `张伟明`.
    pub name: String,
    /// 18-character resident id number with a valid check character.
    pub id_number: String,
    /// E.164, e.g. `+8613800138000`.
    pub phone: String,
}

/// A process-wide counter starting at a random point, so that values differ
/// between tests and between runs.
fn next() -> u64 {
    static COUNTER: OnceLock<AtomicU64> = OnceLock::new();
    COUNTER
        .get_or_init(|| AtomicU64::new(rand::rng().random_range(0..1_000_000)))
        .fetch_add(1, Ordering::Relaxed)
}

/// A unique, valid resident id number: region 110101, a birth date and a
/// sequence derived from a counter, and the ISO 7064 MOD 11-2 check character.
pub fn id_number() -> String {
    let n = next();
    let sequence = n % 1000;
    let day_index = n / 1000;
    let year = 1950 + (day_index / 336) % 50;
    let month = 1 + (day_index / 28) % 12;
    let day = 1 + day_index % 28;
    let body = format!("110101{year:04}{month:02}{day:02}{sequence:03}");
    let sum: u32 = body
        .chars()
        .zip(ID_WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    format!("{body}{}", ID_CHECK_CHARS[(sum % 11) as usize])
}

/// The Luhn check digit that completes `payload`.
pub fn luhn_check_digit(payload: &str) -> char {
    let sum: u32 = payload
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = c.to_digit(10).expect("digit");
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).expect("digit")
}

/// A unique, Luhn-valid 16-digit card number (never the magic declined one).
pub fn card_number() -> String {
    let payload = format!("6222{:011}", next() % 100_000_000_000);
    let check = luhn_check_digit(&payload);
    format!("{payload}{check}")
}

/// A unique E.164 phone number in mainland China.
fn phone() -> String {
    format!("+86138{:08}", next() % 100_000_000)
}

/// A random Chinese name of three characters.
fn name() -> String {
    let mut rng = rand::rng();
    format!(
        "{}{}{}",
        SURNAMES[rng.random_range(0..SURNAMES.len())],
        GIVEN[rng.random_range(0..GIVEN.len())],
        GIVEN[rng.random_range(0..GIVEN.len())]
    )
}

/// A fresh person with unique id number and phone.
pub fn person() -> Person {
    Person {
        name: name(),
        id_number: id_number(),
        phone: phone(),
    }
}

/// The body of `POST /v1/onboardings`.
pub fn onboarding_body(person: &Person, card_number: &str) -> Value {
    json!({
        "bank_user_ref": format!("bank-user-{}", next()),
        "name": person.name,
        "id_number": person.id_number,
        "phone": person.phone,
        "card_number": card_number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // Check digit of the published example 11010519491231002X.
        let body = "11010519491231002";
        let sum: u32 = body
            .chars()
            .zip(ID_WEIGHTS)
            .map(|(c, w)| c.to_digit(10).unwrap() * w)
            .sum();
        assert_eq!(ID_CHECK_CHARS[(sum % 11) as usize], 'X');
        assert_eq!(luhn_check_digit("400000000000000"), '2');
        assert_eq!(luhn_check_digit("7992739871"), '3');
    }

    #[test]
    fn generated_values_are_unique() {
        let a = person();
        let b = person();
        assert_ne!(a.id_number, b.id_number);
        assert_ne!(a.phone, b.phone);
        assert_ne!(card_number(), card_number());
        assert_eq!(a.id_number.len(), 18);
    }
}
