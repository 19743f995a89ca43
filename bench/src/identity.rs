//! Valid, unique made-up persons: PRC resident id numbers, phones and Luhn-valid cards.

use std::sync::atomic::{AtomicU64, Ordering};

use onboard_workflows::domain::luhn_check_digit;
use serde_json::{json, Value};

/// ISO 7064 MOD 11-2 weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Hands out a different person on every call.
pub struct People {
    run: u64,
    next: AtomicU64,
}

/// One made-up person and the card a saga binds for them.
pub struct Person {
    /// Name as the bank sends it.
    pub name: String,
    /// 18-character resident id number.
    pub id_number: String,
    /// E.164 phone.
    pub phone: String,
    /// Luhn-valid card number (never the declined magic number).
    pub card_number: String,
}

impl People {
    /// A generator whose ids differ from those of other runs (by `run`, 0..10 000).
    pub fn new(run: u64) -> People {
        People {
            run: run % 10_000,
            next: AtomicU64::new(0),
        }
    }

    /// The next person.
    pub fn next(&self) -> Person {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        self.person(n)
    }

    /// A fresh card for another saga of an existing person.
    pub fn next_card(&self) -> String {
        card_number(self.run, self.next.fetch_add(1, Ordering::Relaxed))
    }

    fn person(&self, n: u64) -> Person {
        let body = format!("9{:04}{:012}", self.run, n % 1_000_000_000_000);
        Person {
            name: format!("Bench Person {n}"),
            id_number: id_number(&body),
            phone: format!("+86139{:08}", n % 100_000_000),
            card_number: card_number(self.run, n),
        }
    }
}

impl Person {
    /// The body of `POST /v1/onboardings` for this person binding `card_number`
    /// (unique per saga, so it also names the bank's user reference).
    pub fn onboarding_body(&self, card_number: &str) -> Value {
        json!({
            "bank_user_ref": format!("bench-{card_number}"),
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "card_number": card_number,
        })
    }

    /// The body of the sandbox fixture `POST /sandbox/wallet/users`.
    pub fn fixture_body(&self) -> Value {
        json!({ "name": self.name, "id_number": self.id_number, "phone": self.phone })
    }

    /// The wallet fixture of a credit applicant: a usage history (the bank derives the
    /// limit from it) and the person's card bound as a savings card, so the application
    /// completes without waiting for one.
    pub fn credit_fixture_body(&self) -> Value {
        json!({
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "history": {
                "months_active": 12,
                "payment_count": 40,
                "payment_volume": "5000.00",
            },
            "savings_card_number": self.card_number,
        })
    }

    /// The body of `POST /v1/credit-applications`: the partial real-name info a client
    /// types (full name, last 6 characters of the id number).
    pub fn credit_application_body(&self, payment_account_id: &str) -> Value {
        let suffix = &self.id_number[self.id_number.len() - 6..];
        json!({
            "payment_account_id": payment_account_id,
            "name": self.name,
            "id_number_suffix": suffix,
        })
    }
}

/// The 18-character id number of 17 digits plus their check character.
fn id_number(body: &str) -> String {
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    let check = char::from(CHECK_CHARS[(sum % 11) as usize]);
    format!("{body}{check}")
}

/// A 16-digit card number starting 62 with a valid Luhn digit.
fn card_number(run: u64, n: u64) -> String {
    let body = format!("62{:04}{:09}", run, n % 1_000_000_000);
    let check = luhn_check_digit(&body).expect("a card body of digits");
    format!("{body}{check}")
}

#[cfg(test)]
mod tests {
    use onboard_workflows::domain::CardNumber;

    use super::*;

    #[test]
    fn known_id_number_check_char() {
        // GB 11643-1999's example.
        assert_eq!(id_number("11010519491231002"), "11010519491231002X");
    }

    #[test]
    fn credit_application_carries_the_id_suffix() {
        let person = People::new(7).next();
        let body = person.credit_application_body("pa_1");
        let suffix = body["id_number_suffix"].as_str().unwrap();
        assert_eq!(suffix.len(), 6);
        assert!(person.id_number.ends_with(suffix));
        assert_eq!(body["name"], person.name.as_str());
    }

    #[test]
    fn cards_pass_luhn() {
        let card = card_number(1, 2);
        assert!(CardNumber::parse(&card).is_ok());
        assert_eq!(card.len(), 16);
    }
}
