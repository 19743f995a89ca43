//! The typed settings tree, mirroring `config/default.toml` section by section.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ConfigError;

/// The base layer, compiled in so the binary runs from any directory.
const DEFAULT_TOML: &str = include_str!("../default.toml");

/// Every setting of the orchestrator. Unknown top-level keys are ignored because the
/// flags' own variables (`ONBOARD_LISTEN`, `ONBOARD_DATA_DIR` …) share the prefix.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// The HTTP listener.
    pub server: ServerSettings,
    /// Where sagas are kept.
    pub store: StoreSettings,
    /// The simulated parties.
    pub sandbox: SandboxSettings,
    /// Saga parameters.
    pub sagas: SagaSettings,
    /// Proximity pairing codes.
    pub pairing: PairingSettings,
    /// Account links with virtual service accounts.
    pub links: LinkSettings,
    /// Party call behaviour.
    pub connectors: ConnectorSettings,
    /// Per-party limits.
    pub parties: PartiesSettings,
    /// Saga leases between replicas.
    pub leases: LeaseSettings,
    /// Accounts and tickets (seed 003).
    pub tickets: TicketSettings,
    /// Durable timer polling.
    pub timers: TimerSettings,
    /// How long finished sagas are kept.
    pub retention: RetentionSettings,
    /// Keys and idempotency.
    pub security: SecuritySettings,
    /// Per-caller request limits.
    pub rate_limit: RateLimitSettings,
    /// Who may call the API.
    pub callers: Vec<CallerSettings>,
    /// Where spans are exported.
    pub otel: OtelSettings,
}

/// The HTTP listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Socket address to bind, e.g. `127.0.0.1:8080`.
    pub listen: String,
    /// actix-web worker threads; 0 means one per core.
    pub workers: usize,
    /// Extra threads for saga actors; 0 runs them on the main thread.
    pub actor_threads: usize,
    /// On SIGTERM, how long the calls and requests in flight may take to finish.
    pub shutdown_grace_secs: u64,
    /// This replica's name, the owner of the leases it takes; empty: host name and
    /// process id.
    pub replica_id: String,
}

/// Where sagas are kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// Directory of the embedded store (and the in-process sandbox's file).
    pub data_dir: PathBuf,
    /// A Redis URL selects the Redis store; empty selects the embedded one.
    pub redis_url: String,
    /// Prefix of every Redis key.
    pub key_prefix: String,
    /// The longest any one store operation may take; past it the request answers 503
    /// `unavailable` and the operation is abandoned, so nothing is done late on its behalf.
    pub timeout_ms: u64,
}

/// The simulated parties.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxSettings {
    /// Serve the sandbox in process under `/sandbox/`.
    pub enabled: bool,
    /// Send party calls to this external sandbox instead; empty means in process.
    pub url: String,
    /// Serve `/sandbox/*` to any peer; otherwise only loopback peers reach it, since it
    /// shows personal data and injects faults without a key.
    pub expose: bool,
}

/// Saga parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SagaSettings {
    /// How long a security prompt stays open.
    pub security_prompt_ttl_secs: i64,
    /// How long a credit application waits for a savings card.
    pub savings_binding_ttl_secs: i64,
}

/// Proximity pairing codes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairingSettings {
    /// The radius of a code's range, metres: a claimant must stand within it, and a code
    /// differs from every live code closer than twice it.
    pub radius_m: u32,
    /// How long a code can be claimed.
    pub ttl_secs: u64,
}

/// Account links with virtual service accounts (seed 000).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSettings {
    /// How long a link token can be exchanged for a virtual account id.
    pub token_ttl_secs: u64,
}

/// Party call behaviour.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorSettings {
    /// Per-attempt timeout.
    pub timeout_ms: u64,
    /// First backoff delay.
    pub retry_initial_ms: u64,
    /// Largest backoff delay.
    pub retry_max_ms: u64,
    /// Attempts of one step's call (the first included) before the saga pauses.
    pub max_attempts: u32,
    /// Seconds since a step's first failed attempt after which the saga pauses.
    pub max_elapsed_secs: u64,
}

/// Saga leases between replicas.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseSettings {
    /// How long a replica's lease of a saga lasts unless renewed; a replica that dies is
    /// replaced on its sagas within this time plus a second.
    pub ttl_ms: u64,
}

/// Limits per party, so that one slow or rate-limited party is not flooded and does not
/// hold up the calls to the other.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartiesSettings {
    /// The bank.
    pub bank: PartyLimitSettings,
    /// The wallet.
    pub wallet: WalletPartySettings,
}

/// The wallet party: its limits, and the API caller whose payment app it is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalletPartySettings {
    /// Calls in flight at once.
    pub max_in_flight: usize,
    /// Calls started per second.
    pub per_second: u32,
    /// The `wallet` caller the wallet party's payment accounts belong to: the security
    /// prompts of those accounts are its own, and no other wallet caller sees them.
    pub caller_id: String,
}

impl WalletPartySettings {
    /// The wallet's limits, as the bank's are given.
    pub fn limits(&self) -> PartyLimitSettings {
        PartyLimitSettings {
            max_in_flight: self.max_in_flight,
            per_second: self.per_second,
        }
    }
}

/// One party's limits.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyLimitSettings {
    /// Calls in flight at once.
    pub max_in_flight: usize,
    /// Calls started per second.
    pub per_second: u32,
}

/// Accounts and tickets (seed 003).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketSettings {
    /// Life of an authorization key.
    pub authorization_ttl_secs: u64,
    /// Life of a refresh key.
    pub refresh_ttl_secs: u64,
    /// The first lockout after 10 consecutive failed logins; doubled per further failure.
    pub lockout_base_secs: u64,
    /// Sustained requests per second per client address to the keyless endpoints.
    pub address_per_second: u32,
    /// Requests allowed at once above the sustained rate, per client address.
    pub address_burst: u32,
}

/// Durable timer polling.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimerSettings {
    /// Interval between looks for due deadlines.
    pub poll_interval_ms: u64,
}

/// How long finished sagas are kept, so that sealed personal data does not stay at rest
/// forever.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// A completed or compensated saga is deleted, with every record of it, this long
    /// after it finished. Waiting, running and failed sagas are kept.
    pub finished_secs: u64,
    /// How often the sweeper looks for what to delete.
    pub sweep_interval_secs: u64,
}

/// Keys and idempotency.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    /// The AES-256-GCM keys of personal data at rest: the first seals, every one opens
    /// what it sealed, so that a rotation puts the new key first and keeps the old ones
    /// until `onboard rekey` has re-sealed everything.
    pub data_keys: Vec<DataKeySettings>,
    /// Base64 of the HMAC-SHA256 key (at least 32 bytes) deriving ids and fingerprinting
    /// idempotent requests; a secret apart from the data keys.
    pub hmac_key: String,
    /// How long an API idempotency key's response is replayed.
    pub idempotency_ttl_secs: u64,
}

/// One data key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataKeySettings {
    /// 1-32 visible ASCII characters, written into every value the key seals so that the
    /// value finds its key after a rotation.
    pub id: String,
    /// Base64 of 32 bytes.
    pub key: String,
}

/// Per-caller request limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Sustained requests per second.
    pub per_second: u32,
    /// Requests allowed at once above the sustained rate.
    pub burst: u32,
}

/// Where spans are exported over OTLP. The standard `OTEL_EXPORTER_OTLP_…` variables
/// also select an endpoint; with neither, no exporter is installed at all.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtelSettings {
    /// The collector's OTLP/HTTP base URL (e.g. `http://otel-collector:4318`); spans go to
    /// its `/v1/traces`. Empty: `OTEL_EXPORTER_OTLP_ENDPOINT` decides.
    pub endpoint: String,
}

/// One API caller.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallerSettings {
    /// Stable id; owns the resources it creates.
    pub id: String,
    /// `bank`, `wallet`, `merchant`, `app` or `operator`.
    pub role: String,
    /// Lower-case hex SHA-256 of the bearer key.
    pub key_sha256: String,
}

impl Settings {
    /// Loads the defaults, then `extra_file` if given, then `ONBOARD_…__…` variables.
    pub fn load(extra_file: Option<&Path>) -> Result<Settings, ConfigError> {
        Settings::load_with_callers(extra_file, None)
    }

    /// [`Settings::load`], with the callers of `callers_file` (if given) in place of the
    /// configured ones: a file a Kubernetes Secret can hold (`ONBOARD_CALLERS_FILE`).
    pub fn load_with_callers(
        extra_file: Option<&Path>,
        callers_file: Option<&Path>,
    ) -> Result<Settings, ConfigError> {
        let mut builder = config::Config::builder().add_source(config::File::from_str(
            DEFAULT_TOML,
            config::FileFormat::Toml,
        ));
        if let Some(path) = extra_file {
            builder = builder.add_source(config::File::from(path).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("ONBOARD")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true),
        );
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        if let Some(path) = callers_file {
            settings.callers = crate::callers_file::load(path)?;
        }
        settings.validate()?;
        Ok(settings)
    }

    /// Rejects values that parse but cannot work.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.sagas.security_prompt_ttl_secs <= 0 {
            return Err(invalid(
                "sagas.security_prompt_ttl_secs",
                "must be positive",
            ));
        }
        if self.sagas.savings_binding_ttl_secs <= 0 {
            return Err(invalid(
                "sagas.savings_binding_ttl_secs",
                "must be positive",
            ));
        }
        if !(1..=MAX_PAIRING_RADIUS_M).contains(&self.pairing.radius_m) {
            return Err(invalid("pairing.radius_m", "must be 1 to 10000"));
        }
        if !(1..=MAX_PAIRING_TTL_SECS).contains(&self.pairing.ttl_secs) {
            return Err(invalid("pairing.ttl_secs", "must be 1 to 86400"));
        }
        if !(1..=MAX_LINK_TOKEN_TTL_SECS).contains(&self.links.token_ttl_secs) {
            return Err(invalid("links.token_ttl_secs", "must be 1 to 86400"));
        }
        if self.store.key_prefix.is_empty() || self.store.key_prefix.contains(['{', '}', ' ']) {
            return Err(invalid(
                "store.key_prefix",
                "must be non-empty without braces or spaces",
            ));
        }
        if self.store.timeout_ms == 0 {
            return Err(invalid("store.timeout_ms", "must be positive"));
        }
        if self.connectors.retry_initial_ms == 0
            || self.connectors.retry_max_ms < self.connectors.retry_initial_ms
        {
            return Err(invalid(
                "connectors.retry_initial_ms",
                "must be positive and at most retry_max_ms",
            ));
        }
        if self.leases.ttl_ms < 300 {
            return Err(invalid("leases.ttl_ms", "must be at least 300"));
        }
        if self.connectors.max_attempts == 0 || self.connectors.max_elapsed_secs == 0 {
            return Err(invalid(
                "connectors.max_attempts",
                "max_attempts and max_elapsed_secs must be positive",
            ));
        }
        for (key, party) in [
            ("parties.bank", self.parties.bank),
            ("parties.wallet", self.parties.wallet.limits()),
        ] {
            if party.max_in_flight == 0 || party.per_second == 0 {
                return Err(invalid(
                    key,
                    "max_in_flight and per_second must be positive",
                ));
            }
        }
        if self.rate_limit.per_second == 0 || self.rate_limit.burst == 0 {
            return Err(invalid(
                "rate_limit",
                "per_second and burst must be positive",
            ));
        }
        if self.tickets.authorization_ttl_secs == 0 || self.tickets.refresh_ttl_secs == 0 {
            return Err(invalid(
                "tickets.authorization_ttl_secs",
                "authorization_ttl_secs and refresh_ttl_secs must be positive",
            ));
        }
        if self.retention.finished_secs == 0 || self.retention.finished_secs > MAX_RETENTION_SECS {
            return Err(invalid(
                "retention.finished_secs",
                "must be 1 to 3153600000 (a hundred years)",
            ));
        }
        if !(1..=MAX_SWEEP_INTERVAL_SECS).contains(&self.retention.sweep_interval_secs) {
            return Err(invalid(
                "retention.sweep_interval_secs",
                "must be 1 to 86400",
            ));
        }
        if self.tickets.lockout_base_secs == 0 {
            return Err(invalid("tickets.lockout_base_secs", "must be positive"));
        }
        if self.tickets.address_per_second == 0 || self.tickets.address_burst == 0 {
            return Err(invalid(
                "tickets.address_per_second",
                "address_per_second and address_burst must be positive",
            ));
        }
        validate_callers(&self.callers)?;
        self.validate_wallet_caller()?;
        self.validate_data_keys()
    }

    /// The wallet party's caller must be a configured wallet caller, or nobody could see
    /// its security prompts.
    fn validate_wallet_caller(&self) -> Result<(), ConfigError> {
        let caller_id = &self.parties.wallet.caller_id;
        let known = self
            .callers
            .iter()
            .any(|caller| &caller.id == caller_id && caller.role == "wallet");
        if known {
            return Ok(());
        }
        Err(ConfigError::Invalid {
            key: "parties.wallet.caller_id",
            reason: format!(
                "{caller_id:?} is not the id of a caller with role \"wallet\"; set it to the \
                 wallet caller whose payment app the wallet party is \
                 (ONBOARD_PARTIES__WALLET__CALLER_ID)"
            ),
        })
    }

    fn validate_data_keys(&self) -> Result<(), ConfigError> {
        if self.security.data_keys.is_empty() {
            return Err(invalid(
                "security.data_keys",
                "must hold at least one key (the first seals)",
            ));
        }
        let mut ids = BTreeSet::new();
        for key in &self.security.data_keys {
            if !ids.insert(key.id.as_str()) {
                return Err(ConfigError::Invalid {
                    key: "security.data_keys",
                    reason: format!("the id {:?} is given twice; ids must be unique", key.id),
                });
            }
        }
        Ok(())
    }
}

/// The widest pairing range: wider ones would make a six-digit code space too small for
/// a city and each search read too many cells.
const MAX_PAIRING_RADIUS_M: u32 = 10_000;
/// The longest a link token may live: a day.
const MAX_LINK_TOKEN_TTL_SECS: u64 = 86_400;

/// The longest a pairing code may live: a day.
const MAX_PAIRING_TTL_SECS: u64 = 86_400;

/// The roles a caller may hold.
const ROLES: [&str; 5] = ["bank", "wallet", "merchant", "app", "operator"];

/// The checks every list of callers passes, from the configuration or from a callers file.
pub(crate) fn validate_callers(callers: &[CallerSettings]) -> Result<(), ConfigError> {
    if callers.is_empty() {
        return Err(invalid("callers", "must list at least one caller"));
    }
    let mut ids = BTreeSet::new();
    let mut hashes = BTreeSet::new();
    for caller in callers {
        if caller.id.trim().is_empty() {
            return Err(invalid("callers.id", "must not be empty"));
        }
        if !ids.insert(caller.id.as_str()) {
            return Err(ConfigError::Invalid {
                key: "callers.id",
                reason: format!("{:?} is given twice; ids must be unique", caller.id),
            });
        }
        if !ROLES.contains(&caller.role.as_str()) {
            return Err(ConfigError::Invalid {
                key: "callers.role",
                reason: format!(
                    "caller {:?}: {:?} is none of {}",
                    caller.id,
                    caller.role,
                    ROLES.join(", ")
                ),
            });
        }
        if caller.key_sha256.len() != 64
            || !caller.key_sha256.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(ConfigError::Invalid {
                key: "callers.key_sha256",
                reason: format!("caller {:?}: must be 64 hex characters", caller.id),
            });
        }
        if !hashes.insert(caller.key_sha256.to_ascii_lowercase()) {
            return Err(ConfigError::Invalid {
                key: "callers.key_sha256",
                reason: format!(
                    "caller {:?}: another caller has the same key; each key has one caller",
                    caller.id
                ),
            });
        }
    }
    Ok(())
}

/// The longest retention accepted, so that the cut-off instant stays representable.
const MAX_RETENTION_SECS: u64 = 3_153_600_000;
/// The longest pause between two retention sweeps: a day.
const MAX_SWEEP_INTERVAL_SECS: u64 = 86_400;

fn invalid(key: &'static str, reason: &str) -> ConfigError {
    ConfigError::Invalid {
        key,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn defaults_load_and_describe_the_sandbox() {
        let settings = Settings::load(None).expect("defaults load");
        assert_eq!(settings.server.listen, "127.0.0.1:8080");
        assert!(settings.sandbox.enabled);
        assert_eq!(settings.sagas.security_prompt_ttl_secs, 600);
        assert_eq!(settings.callers.len(), 8);
        assert!(!settings.sandbox.expose);
        assert_eq!(settings.parties.wallet.caller_id, "sandbox-wallet");
        assert_eq!(settings.security.data_keys.len(), 1);
        assert_eq!(settings.security.data_keys[0].id, "sandbox-1");
        assert_eq!(settings.pairing.radius_m, 500);
        assert_eq!(settings.pairing.ttl_secs, 120);
        assert_eq!(settings.links.token_ttl_secs, 600);
        assert_eq!(settings.tickets.authorization_ttl_secs, 900);
        assert_eq!(settings.tickets.refresh_ttl_secs, 30 * 24 * 60 * 60);
        assert_eq!(settings.retention.finished_secs, 30 * 24 * 60 * 60);
        assert_eq!(settings.retention.sweep_interval_secs, 60);
    }

    #[test]
    fn retention_periods_and_intervals_out_of_bounds_are_refused() {
        for (setting, key) in [
            ("finished_secs = 0", "retention.finished_secs"),
            ("finished_secs = 3153600001", "retention.finished_secs"),
            ("sweep_interval_secs = 0", "retention.sweep_interval_secs"),
            (
                "sweep_interval_secs = 86401",
                "retention.sweep_interval_secs",
            ),
        ] {
            let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
            writeln!(file, "[retention]\n{setting}").unwrap();
            let error = Settings::load(Some(file.path())).unwrap_err();
            assert!(error.to_string().contains(key), "{setting}: {error}");
        }
    }

    #[test]
    fn an_extra_file_overrides_the_defaults() {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        writeln!(file, "[sagas]\nsecurity_prompt_ttl_secs = 3").unwrap();
        let settings = Settings::load(Some(file.path())).expect("layered load");
        assert_eq!(settings.sagas.security_prompt_ttl_secs, 3);
        assert_eq!(settings.server.listen, "127.0.0.1:8080");
    }

    #[test]
    fn pairing_ranges_and_lives_out_of_bounds_are_refused() {
        for (setting, key) in [
            ("radius_m = 0", "pairing.radius_m"),
            ("radius_m = 10001", "pairing.radius_m"),
            ("ttl_secs = 0", "pairing.ttl_secs"),
        ] {
            let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
            writeln!(file, "[pairing]\n{setting}").unwrap();
            let error = Settings::load(Some(file.path())).unwrap_err();
            assert!(error.to_string().contains(key), "{setting}: {error}");
        }
    }

    fn load_file(text: &str) -> Result<Settings, ConfigError> {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        write!(file, "{text}").unwrap();
        Settings::load(Some(file.path()))
    }

    #[test]
    fn a_file_lists_the_data_keys_the_first_sealing() {
        let settings = load_file(
            "[[security.data_keys]]\nid = \"k2\"\nkey = \"a2V5\"\n\
             [[security.data_keys]]\nid = \"k1\"\nkey = \"b2xk\"\n",
        )
        .expect("loads");
        let ids: Vec<&str> = settings
            .security
            .data_keys
            .iter()
            .map(|key| key.id.as_str())
            .collect();
        assert_eq!(ids, ["k2", "k1"]);
    }

    #[test]
    fn data_keys_need_one_key_and_unique_ids() {
        let error = load_file("[security]\ndata_keys = []\n").unwrap_err();
        assert!(error.to_string().contains("at least one key"), "{error}");
        let error = load_file(
            "[[security.data_keys]]\nid = \"k1\"\nkey = \"a2V5\"\n\
             [[security.data_keys]]\nid = \"k1\"\nkey = \"b2xk\"\n",
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("\"k1\" is given twice"),
            "{error}"
        );
    }

    #[test]
    fn the_wallet_party_names_a_wallet_caller() {
        for caller_id in ["nobody", "sandbox-bank"] {
            let error =
                load_file(&format!("[parties.wallet]\ncaller_id = \"{caller_id}\"\n")).unwrap_err();
            assert!(
                error.to_string().contains("parties.wallet.caller_id"),
                "{error}"
            );
        }
        let settings =
            load_file("[parties.wallet]\ncaller_id = \"sandbox-wallet-2\"\n").expect("loads");
        assert_eq!(settings.parties.wallet.caller_id, "sandbox-wallet-2");
    }

    #[test]
    fn a_callers_file_replaces_the_configured_callers() {
        let mut callers = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        write!(
            callers,
            "[[callers]]\nid = \"acme-wallet\"\nrole = \"wallet\"\nkey_sha256 = \"{}\"\n",
            "ab".repeat(32)
        )
        .unwrap();
        let mut config = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        writeln!(config, "[parties.wallet]\ncaller_id = \"acme-wallet\"").unwrap();
        let settings =
            Settings::load_with_callers(Some(config.path()), Some(callers.path())).expect("loads");
        let ids: Vec<&str> = settings.callers.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["acme-wallet"]);
        // A [[callers]] list in the --config file replaces the defaults as well.
        let in_config = load_file(&format!(
            "[parties.wallet]\ncaller_id = \"acme-wallet\"\n\
             [[callers]]\nid = \"acme-wallet\"\nrole = \"wallet\"\nkey_sha256 = \"{}\"\n",
            "ab".repeat(32)
        ))
        .expect("loads");
        assert_eq!(in_config.callers.len(), 1);
        // Without the wallet caller named, the replaced list leaves the default dangling.
        let error = Settings::load_with_callers(None, Some(callers.path())).unwrap_err();
        assert!(
            error.to_string().contains("parties.wallet.caller_id"),
            "{error}"
        );
    }

    #[test]
    fn a_bad_value_is_refused_with_its_key() {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        writeln!(file, "[sagas]\nsecurity_prompt_ttl_secs = 0").unwrap();
        let error = Settings::load(Some(file.path())).unwrap_err();
        assert!(error.to_string().contains("security_prompt_ttl_secs"));
    }
}
