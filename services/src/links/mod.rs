//! Account linking with virtual service accounts (seed 000): a merchant's link, the
//! wallet's exchange of the link token for a pairwise virtual account id, the merchant's
//! completion, the resolution of a virtual id for a service request, and the wallet's
//! listing and revocation. The real payment account is sealed at rest and found only by
//! its keyed hash; it never leaves this service except towards the saga that charges it.

mod error;
mod service;
mod token;
mod views;

pub use error::LinkError;
pub use service::{LinkParams, Links};
pub use token::LinkToken;
pub use views::{LinkStatus, LinkView, Minted, VirtualAccountStatus, VirtualAccountView};
