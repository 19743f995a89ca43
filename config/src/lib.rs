//! Layered configuration: the embedded `config/default.toml`, then an optional extra
//! file, then `ONBOARD_<SECTION>__<KEY>` environment variables. The binary's flags are
//! applied on top by the caller, so the precedence is flag > env > file > default.

mod error;
mod settings;

pub use error::ConfigError;
pub use settings::{
    CallerSettings, ConnectorSettings, LeaseSettings, PairingSettings, PartiesSettings,
    PartyLimitSettings, RateLimitSettings, RetentionSettings, SagaSettings, SandboxSettings,
    SecuritySettings, ServerSettings, Settings, StoreSettings, TicketSettings, TimerSettings,
};
