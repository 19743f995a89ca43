//! Layered configuration: the embedded `config/default.toml`, then an optional extra
//! file, then `ONBOARD_<SECTION>__<KEY>` environment variables. The binary's flags are
//! applied on top by the caller, so the precedence is flag > env > file > default.

mod callers_file;
mod error;
pub mod public_defaults;
mod settings;

pub use error::ConfigError;
pub use settings::{
    CallerSettings, ConnectorSettings, DataKeySettings, LeaseSettings, OtelSettings,
    PairingSettings, PartiesSettings, PartyLimitSettings, RateLimitSettings, RetentionSettings,
    SagaSettings, SandboxSettings, SecuritySettings, ServerSettings, Settings, StoreSettings,
    TicketSettings, TimerSettings, WalletPartySettings,
};
