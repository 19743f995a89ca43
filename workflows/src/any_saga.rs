//! One type over every saga definition, so the runtime and the store handle them alike.
//! The table at the bottom is the registry: a saga is added with its module, its
//! [`SagaKind`] variant and one line here.

use crate::saga::{
    Action, CallOutcome, IndexEntry, Saga, SagaError, SagaKind, SagaStatus, Signal, StepRecord,
    Tick, TransitionError, WaitingFor,
};
use serde::{Deserialize, Serialize};

/// Declares [`AnySaga`] with one variant per registered saga, delegating every method to
/// the variant's [`Saga`] implementation, and [`SagaKind::as_str`].
macro_rules! registry {
    ($($(#[$doc:meta])* $kind:ident($saga:ty) = $wire:literal, ids $prefix:literal;)+) => {
        /// A saga of any kind, as it is sealed into the store.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "state", rename_all = "snake_case")]
        pub enum AnySaga {
            $($(#[$doc])* $kind($saga),)+
        }

        impl SagaKind {
            /// The stable wire name, as API.md spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SagaKind::$kind => $wire,)+
                }
            }

            /// What the kind's workflow ids start with (before `_`), so that people tell
            /// the kinds apart in logs and a client cannot confuse their ids.
            pub fn id_prefix(self) -> &'static str {
                match self {
                    $(SagaKind::$kind => $prefix,)+
                }
            }

            /// The kind whose workflow ids start with `prefix`, if any.
            pub fn from_id_prefix(prefix: &str) -> Option<SagaKind> {
                match prefix {
                    $($prefix => Some(SagaKind::$kind),)+
                    _ => None,
                }
            }
        }

        #[cfg(test)]
        const KINDS: &[SagaKind] = &[$(SagaKind::$kind,)+];

        impl AnySaga {
            /// Which definition drives it.
            pub fn kind(&self) -> SagaKind {
                match self {
                    $(AnySaga::$kind(_) => SagaKind::$kind,)+
                }
            }

            /// Where it stands.
            pub fn status(&self) -> SagaStatus {
                match self {
                    $(AnySaga::$kind(s) => s.status(),)+
                }
            }

            /// What the runtime must do next.
            pub fn next_action(&self) -> Action {
                match self {
                    $(AnySaga::$kind(s) => s.next_action(),)+
                }
            }

            /// Feeds back the outcome of the call [`AnySaga::next_action`] named.
            pub fn on_outcome(self, outcome: CallOutcome, tick: &Tick) -> Result<Self, TransitionError> {
                match self {
                    $(AnySaga::$kind(s) => s.on_outcome(outcome, tick).map(AnySaga::$kind),)+
                }
            }

            /// Applies a signal.
            pub fn on_signal(self, signal: Signal, tick: &Tick) -> Result<Self, TransitionError> {
                match self {
                    $(AnySaga::$kind(s) => s.on_signal(signal, tick).map(AnySaga::$kind),)+
                }
            }

            /// Fires the deadline.
            pub fn on_deadline(self, tick: &Tick) -> Result<Self, TransitionError> {
                match self {
                    $(AnySaga::$kind(s) => s.on_deadline(tick).map(AnySaga::$kind),)+
                }
            }

            /// Step history.
            pub fn steps(&self) -> &[StepRecord] {
                match self {
                    $(AnySaga::$kind(s) => s.steps(),)+
                }
            }

            /// Why it did not complete.
            pub fn error(&self) -> Option<&SagaError> {
                match self {
                    $(AnySaga::$kind(s) => s.error(),)+
                }
            }

            /// The open human step.
            pub fn waiting_for(&self) -> Option<WaitingFor> {
                match self {
                    $(AnySaga::$kind(s) => s.waiting_for(),)+
                }
            }

            /// The kind-specific result as JSON, when there is one.
            pub fn result_json(&self) -> Option<serde_json::Value> {
                match self {
                    $(AnySaga::$kind(s) => s.result_json(),)+
                }
            }

            /// The secondary-index entries the runtime must keep for it now.
            pub fn index_entries(&self) -> Vec<IndexEntry<'_>> {
                match self {
                    $(AnySaga::$kind(s) => s.index_entries(),)+
                }
            }
        }
    };
}

registry! {
    /// Seed 001.
    PaymentAccountRegistration(crate::payment_account_registration::Registration) = "payment_account_registration", ids "wf";
    /// Seed 004.
    VirtualCreditAccount(crate::virtual_credit_account::CreditApplication) = "virtual_credit_account", ids "ca";
    /// Seed 000.
    ServiceRequest(crate::service_request::ServiceRequest) = "service_request", ids "sr";
}

#[cfg(test)]
mod tests {
    use super::{SagaKind, KINDS};

    #[test]
    fn every_kind_is_spelled_as_serde_spells_it() {
        for kind in KINDS {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn every_kind_has_its_own_id_prefix() {
        for kind in KINDS {
            assert_eq!(SagaKind::from_id_prefix(kind.id_prefix()), Some(*kind));
        }
        assert_eq!(SagaKind::from_id_prefix("cr"), None);
    }
}
