//! The production guard: outside the sandbox, `onboard serve` refuses to start while the
//! configuration holds a public value of `config/default.toml` (a caller key, a data key,
//! the HMAC key), which anyone who read the README holds too. It runs before the port is
//! bound, so a refused deployment never looks alive.

use onboard_config::public_defaults::{self, PublicValues};
use onboard_config::Settings;

use crate::startup::parties;

/// Refuses the settings if the parties are real (no sandbox in use) and any public
/// sandbox value is configured; the error names each setting and how to change it.
pub fn refuse_public_values(settings: &Settings) -> Result<(), PublicValues> {
    if parties::sandbox_in_use(settings) {
        return Ok(());
    }
    public_defaults::refuse(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_configuration_is_refused_once_the_sandbox_is_off() {
        let mut settings = Settings::load(None).expect("defaults");
        settings.sandbox.enabled = false;
        settings.sandbox.url = "https://parties.example".to_owned();
        let refused = refuse_public_values(&settings).unwrap_err();
        assert_eq!(
            refused.0.len(),
            onboard_config::public_defaults::CALLER_KEYS.len() + 2,
            "{refused}"
        );
    }

    #[cfg(feature = "sandbox")]
    #[test]
    fn a_sandbox_in_process_or_at_a_url_may_use_the_public_values() {
        let mut settings = Settings::load(None).expect("defaults");
        assert!(refuse_public_values(&settings).is_ok());
        settings.sandbox.url = "http://127.0.0.1:8081".to_owned();
        assert!(refuse_public_values(&settings).is_ok());
    }

    #[cfg(not(feature = "sandbox"))]
    #[test]
    fn a_build_without_the_sandbox_always_refuses_them() {
        let settings = Settings::load(None).expect("defaults");
        assert!(refuse_public_values(&settings).is_err());
    }
}
