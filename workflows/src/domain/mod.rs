//! Domain newtypes: built only by parsing, so a value that exists is valid.
//! `Debug` and `Display` mask personal data; serde writes the clear value because
//! it only ever reaches sealed (encrypted) storage and party calls.

mod card_number;
mod history;
mod id_number;
mod id_suffix;
mod ids;
mod invisible;
mod mask;
mod money;
#[cfg(test)]
mod never_panics;
mod parse_error;
mod person_name;
mod phone;
mod real_name;

pub use card_number::CardNumber;
pub use history::History;
pub use id_number::IdNumber;
pub use id_suffix::IdSuffix;
pub use ids::{BindingId, CreditAccountId, PaymentAccountId, PromptId, WorkflowId};
pub use invisible::{invisible_class, is_invisible, INVISIBLE_RANGES};
pub use mask::mask_tail;
pub use money::Money;
pub use parse_error::ParseError;
pub use person_name::PersonName;
pub use phone::Phone;
pub use real_name::real_name_matches;
