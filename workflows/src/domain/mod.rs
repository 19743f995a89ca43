//! Domain newtypes: built only by parsing, so a value that exists is valid.
//! `Debug` and `Display` mask personal data; serde writes the clear value because
//! it only ever reaches sealed (encrypted) storage and party calls.

mod card_number;
mod geo_point;
mod history;
mod id_number;
mod id_suffix;
mod ids;
mod invisible;
mod mask;
mod money;
#[cfg(test)]
mod never_panics;
mod pairing_code;
mod pairing_operation;
mod parse_error;
mod person_name;
mod phone;
mod real_name;

pub use card_number::{luhn_check_digit, CardNumber};
pub use geo_point::{GeoPoint, EARTH_RADIUS_M, MAX_LATITUDE, MAX_LONGITUDE};
pub use history::History;
pub use id_number::IdNumber;
pub use id_suffix::IdSuffix;
pub use ids::{
    BindingId, ChargeId, CreditAccountId, LinkId, PaymentAccountId, PromptId, VirtualAccountId,
    WorkflowId,
};
pub use invisible::{invisible_class, is_invisible, INVISIBLE_RANGES};
pub use mask::mask_tail;
pub use money::Money;
pub use pairing_code::{PairingCode, CODE_SPACE};
pub use pairing_operation::PairingOperation;
pub use parse_error::ParseError;
pub use person_name::PersonName;
pub use phone::Phone;
pub use real_name::real_name_matches;
