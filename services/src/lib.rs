//! Request/response features of Onboard that are not sagas.
//!
//! What belongs here: a feature that answers within one request, keeps what it must
//! remember in the store it needs ([`AttemptStore`], [`IdempotencyStore`], the tickets,
//! the pairing codes) and may ask the parties ([`HttpParties`]), but starts no saga of its
//! own — a gate in front of one, a limit, a replay of an answer, the accounts and tickets
//! of seed 003, a short code to pair with, the account links and virtual accounts of
//! seed 000.
//! Each service speaks its own terms: its inputs are domain values and bytes, its
//! errors an enum of what went wrong for it. Nothing here knows HTTP; the API maps
//! every service error to a problem in one place.
//!
//! [`AttemptStore`]: onboard_actors::store::AttemptStore
//! [`IdempotencyStore`]: onboard_actors::store::IdempotencyStore
//! [`HttpParties`]: onboard_actors::parties::HttpParties

pub mod attempt_limit;
pub mod idempotency;
mod instant;
pub mod links;
pub mod pairing;
pub mod real_name;
pub mod tickets;

pub use attempt_limit::{AttemptLimit, AttemptLimitError, CardRefusals};
pub use idempotency::{Idempotency, IdempotencyError, StoredResponse};
pub use links::{LinkError, LinkParams, Links};
pub use pairing::{IssuedCode, PairedAccount, Pairing, PairingError, PairingPolicy};
pub use real_name::{RealNameError, RealNameGate};
pub use tickets::{TicketError, Tickets};
