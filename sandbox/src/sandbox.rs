//! The sandbox handle: opening it from its database file, and the table of
//! its routes.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use actix_web::error::JsonPayloadError;
use actix_web::{web, Scope};

use crate::error::{ApiError, SandboxError};
use crate::faults::Faults;
use crate::journal::{Commits, Journal};
use crate::state::{Shared, State};
use crate::{
    bank_routes, faults, fixtures, ledger, persistence, wallet_credit_routes, wallet_routes,
};

/// The largest request body a party accepts; party calls are small.
const BODY_LIMIT: usize = 64 * 1024;

/// The simulated bank and wallet, shared by every HTTP worker: cheap to clone,
/// all clones see the same state. The database closes when the last clone
/// (including those inside a running server) is dropped.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Mutex<Shared>,
    /// Outside the mutex: waiting for the disk must not block other requests.
    commits: Commits,
    /// Outside the mutex: a fault is taken before any state is touched.
    faults: Faults,
}

impl Sandbox {
    /// Opens (creating if needed) the sandbox database file and loads its
    /// state, so that the parties remember everything across a restart.
    pub fn open(path: &Path) -> Result<Sandbox, SandboxError> {
        let (database, records) = persistence::open(path)?;
        let state = State::from_records(records);
        let (journal, commits) = Journal::start(database)?;
        tracing::info!(path = %path.display(), "sandbox opened");
        Ok(Sandbox {
            inner: Arc::new(Inner {
                shared: Mutex::new(Shared { state, journal }),
                commits,
                faults: Faults::default(),
            }),
        })
    }

    /// The `/sandbox` scope with every party, fixture and inspection route,
    /// its app data attached, ready to mount in any actix-web `App`.
    pub fn service(&self) -> Scope {
        let json = web::JsonConfig::default()
            .limit(BODY_LIMIT)
            .error_handler(|error, _| body_error(error).into());
        web::scope("/sandbox")
            .app_data(web::Data::new(self.clone()))
            .app_data(json)
            .route(
                "/wallet/lookup_person",
                web::post().to(wallet_routes::lookup_person),
            )
            .route(
                "/wallet/register_account",
                web::post().to(wallet_routes::register_account),
            )
            .route(
                "/wallet/close_account",
                web::post().to(wallet_routes::close_account),
            )
            .route(
                "/wallet/bind_card",
                web::post().to(wallet_routes::bind_card),
            )
            .route(
                "/wallet/unbind_card",
                web::post().to(wallet_routes::unbind_card),
            )
            .route(
                "/wallet/security_rule",
                web::post().to(wallet_routes::security_rule),
            )
            .route(
                "/wallet/real_name_record",
                web::post().to(wallet_credit_routes::real_name_record),
            )
            .route(
                "/wallet/savings_status",
                web::post().to(wallet_credit_routes::savings_status),
            )
            .route(
                "/wallet/bind_savings_card",
                web::post().to(wallet_credit_routes::bind_savings_card),
            )
            .route("/wallet/users", web::post().to(fixtures::create_user))
            .route(
                "/wallet/persons/{id_number}",
                web::get().to(fixtures::wallet_person),
            )
            .route(
                "/bank/verify_card",
                web::post().to(bank_routes::verify_card),
            )
            .route(
                "/bank/verify_savings_card",
                web::post().to(bank_routes::verify_savings_card),
            )
            .route(
                "/bank/credit_account_lookup",
                web::post().to(bank_routes::credit_account_lookup),
            )
            .route(
                "/bank/create_credit_account",
                web::post().to(bank_routes::create_credit_account),
            )
            .route(
                "/bank/close_credit_account",
                web::post().to(bank_routes::close_credit_account),
            )
            .route("/bank/customers", web::post().to(fixtures::create_customer))
            .route(
                "/bank/savings-cards",
                web::post().to(fixtures::create_savings_card),
            )
            .route(
                "/bank/persons/{id_number}",
                web::get().to(fixtures::bank_person),
            )
            .route("/faults", web::post().to(faults::inject))
            .route("/ledger", web::get().to(ledger::list))
    }

    /// The state lock. A panic while it was held cannot leave a half-made
    /// change, because every change validates before it mutates, so a
    /// poisoned lock is still usable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Shared> {
        self.inner
            .shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn commits(&self) -> &Commits {
        &self.inner.commits
    }

    pub(crate) fn faults(&self) -> &Faults {
        &self.inner.faults
    }
}

/// Why a JSON body was refused: too large (413), not JSON by its media type (415), or
/// not the operation's JSON (400).
fn body_error(error: JsonPayloadError) -> ApiError {
    match error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge {
                limit_kib: BODY_LIMIT / 1024,
            }
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        other => ApiError::Validation(other.to_string()),
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}
