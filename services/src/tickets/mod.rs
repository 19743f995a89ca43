//! Cross-platform tickets (seed 003): an account-management service. A user registers
//! once; logging in for an app issues that app's ticket (user id, authorization key,
//! refresh key); the app's resource server verifies tickets; a refresh rotates both keys,
//! and presenting a refresh key that was already rotated away revokes the whole family
//! (OAuth 2.1 / RFC 9700 refresh-token rotation).

mod credentials;
mod error;
mod keys;
mod passwords;
mod service;

pub use credentials::{
    Password, Username, PASSWORD_MAX_CHARS, USERNAME_MAX_CHARS, USERNAME_MIN_CHARS,
};
pub use error::TicketError;
pub use keys::{TicketKey, UserId, KEY_CHARS};
pub use passwords::{PasswordHasher, Weakness, PASSWORD_MIN_CHARS};
pub use service::{Ticket, TicketParams, Tickets, Verified};
