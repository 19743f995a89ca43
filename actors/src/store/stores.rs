//! One backend's stores, handed out one by one, so that each caller holds only the
//! interfaces it uses.

use std::sync::Arc;

use super::{
    AttemptStore, IdempotencyStore, IndexStore, KeyPinStore, LeaseStore, LinkStore, PairingStore,
    RetentionStore, SagaStore, SealedStore, TicketStore,
};

/// The stores of one backend.
#[derive(Clone)]
pub struct Stores {
    /// Sagas: for the runtime.
    pub sagas: Arc<dyn SagaStore>,
    /// Index reads: for the runtime's lookups (an account's open prompts).
    pub indexes: Arc<dyn IndexStore>,
    /// API idempotency records: for the idempotency service.
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// Attempt counters: for the attempt limits.
    pub attempts: Arc<dyn AttemptStore>,
    /// Leases: which replica drives which saga.
    pub leases: Arc<dyn LeaseStore>,
    /// Accounts and ticket families: for the tickets service.
    pub tickets: Arc<dyn TicketStore>,
    /// Live pairing codes: for the pairing service.
    pub pairing: Arc<dyn PairingStore>,
    /// Account links and virtual accounts: for the linking service.
    pub links: Arc<dyn LinkStore>,
    /// Fingerprints of keys that must not change silently: for start-up.
    pub key_pins: Arc<dyn KeyPinStore>,
    /// Deleting what outlived its time: for the retention sweeper.
    pub retention: Arc<dyn RetentionStore>,
    /// The sealed values: for `onboard rekey`.
    pub sealed: Arc<dyn SealedStore>,
}

impl Stores {
    /// Every store served by `backend`, which they share.
    pub fn of<B>(backend: B) -> Stores
    where
        B: SagaStore
            + IndexStore
            + IdempotencyStore
            + AttemptStore
            + LeaseStore
            + TicketStore
            + PairingStore
            + LinkStore
            + KeyPinStore
            + RetentionStore
            + SealedStore,
    {
        let backend = Arc::new(backend);
        Stores {
            sagas: backend.clone(),
            indexes: backend.clone(),
            idempotency: backend.clone(),
            attempts: backend.clone(),
            leases: backend.clone(),
            tickets: backend.clone(),
            pairing: backend.clone(),
            links: backend.clone(),
            key_pins: backend.clone(),
            retention: backend.clone(),
            sealed: backend,
        }
    }
}
