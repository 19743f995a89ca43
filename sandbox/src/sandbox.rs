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
    bank_routes, faults, fixtures, ledger, persistence, wallet_charge_routes, wallet_credit_routes,
    wallet_routes,
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
    /// its app data attached, ready to mount in any actix-web `App`. One resource per
    /// path, so that another method is a 405 with `Allow`. A body that does not
    /// deserialize is the sandbox's own 400; one too large, not declared JSON or not
    /// decodable keeps actix's typed error, for the host app to answer in its format.
    pub fn service(&self) -> Scope {
        let json = web::JsonConfig::default()
            .limit(BODY_LIMIT)
            .error_handler(|error, _| body_error(error).into());
        web::scope("/sandbox")
            .app_data(web::Data::new(self.clone()))
            .app_data(json)
            .service(web::resource("/wallet/lookup_person").post(wallet_routes::lookup_person))
            .service(
                web::resource("/wallet/register_account").post(wallet_routes::register_account),
            )
            .service(web::resource("/wallet/close_account").post(wallet_routes::close_account))
            .service(web::resource("/wallet/bind_card").post(wallet_routes::bind_card))
            .service(web::resource("/wallet/unbind_card").post(wallet_routes::unbind_card))
            .service(web::resource("/wallet/security_rule").post(wallet_routes::security_rule))
            .service(web::resource("/wallet/account_profile").post(wallet_routes::account_profile))
            .service(web::resource("/wallet/charge").post(wallet_charge_routes::charge))
            .service(
                web::resource("/wallet/real_name_record")
                    .post(wallet_credit_routes::real_name_record),
            )
            .service(
                web::resource("/wallet/savings_status").post(wallet_credit_routes::savings_status),
            )
            .service(
                web::resource("/wallet/bind_savings_card")
                    .post(wallet_credit_routes::bind_savings_card),
            )
            .service(web::resource("/wallet/users").post(fixtures::create_user))
            .service(web::resource("/wallet/persons/{id_number}").get(fixtures::wallet_person))
            .service(web::resource("/bank/verify_card").post(bank_routes::verify_card))
            .service(
                web::resource("/bank/verify_savings_card").post(bank_routes::verify_savings_card),
            )
            .service(
                web::resource("/bank/credit_account_lookup")
                    .post(bank_routes::credit_account_lookup),
            )
            .service(
                web::resource("/bank/create_credit_account")
                    .post(bank_routes::create_credit_account),
            )
            .service(
                web::resource("/bank/close_credit_account").post(bank_routes::close_credit_account),
            )
            .service(web::resource("/bank/customers").post(fixtures::create_customer))
            .service(web::resource("/bank/savings-cards").post(fixtures::create_savings_card))
            .service(web::resource("/bank/persons/{id_number}").get(fixtures::bank_person))
            .service(
                web::resource("/faults")
                    .post(faults::inject)
                    .delete(faults::clear),
            )
            .service(web::resource("/ledger").get(ledger::list))
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
        JsonPayloadError::Deserialize(error) => ApiError::Validation(error.to_string()),
        _ => ApiError::Validation("the body could not be read or decoded".to_owned()),
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}
