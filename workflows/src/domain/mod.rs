//! Domain newtypes: built only by parsing, so a value that exists is valid.
//! `Debug` and `Display` mask personal data; serde writes the clear value because
//! it only ever reaches sealed (encrypted) storage and party calls.

mod card_number;
mod id_number;
mod mask;
mod parse_error;
mod person_name;
mod phone;

pub use card_number::CardNumber;
pub use id_number::IdNumber;
pub use mask::mask_tail;
pub use parse_error::ParseError;
pub use person_name::PersonName;
pub use phone::Phone;
