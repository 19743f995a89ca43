//! Wallet-initiated virtual credit account with savings-account binding (seed 004).
//!
//! The runtime first matches the client's partial real-name info against the wallet's
//! record ([`crate::domain::real_name_matches`]); only the matched full record starts the
//! saga, so the partial info never enters it.
//!
//! Forward: the bank looks for the person's credit account (one found → completed with
//! `created: false`) → the wallet reports the account's savings binding → with none, wait
//! for the person to supply a savings card; each supplied card is verified by the bank and
//! bound by the wallet, and a refused card leaves the saga waiting with the same deadline →
//! the bank creates the credit account against the binding (the pivot).
//!
//! Compensation unbinds the savings card only if this saga bound it: only its own
//! `bind_savings_card_n` step registers that undo, so a binding that existed before the
//! saga is never touched.
//!
//! Step names double as idempotency-key suffixes, so each names one call. The card steps
//! may run once per supplied card and therefore carry the attempt number
//! (`verify_savings_card_1`, `bind_savings_card_1`, then `…_2` for the next card): a new
//! card is never answered by the party's replay of the previous card's call.

mod request;
mod state;
mod steps;
mod transitions;

#[cfg(test)]
mod tests;

pub use request::CreditApplicationRequest;
pub use state::{CreditApplication, CreditApplicationResult, CreditFlow, SavingsCardWait};
pub use steps::{CardAttempt, CreditStep, CreditUndo, SAVINGS_ACCOUNT_BINDING};
