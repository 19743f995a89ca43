//! The callers given as a file of their own (`ONBOARD_CALLERS_FILE`, `--callers-file`), so
//! that a Kubernetes Secret can hold them apart from the rest of the configuration. The
//! file holds the same `[[callers]]` tables as the configuration, and replaces its list.

use std::path::Path;

use serde::Deserialize;

use crate::settings::validate_callers;
use crate::{CallerSettings, ConfigError};

/// The whole file: only `[[callers]]` tables, so a misspelt key is refused, not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CallersFile {
    callers: Vec<CallerSettings>,
}

/// The callers of the TOML file at `path`, checked as configured callers are.
pub fn load(path: &Path) -> Result<Vec<CallerSettings>, ConfigError> {
    let refused = |reason: String| ConfigError::CallersFile {
        path: path.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|error| refused(error.to_string()))?;
    let file: CallersFile = config::Config::builder()
        .add_source(config::File::from_str(&text, config::FileFormat::Toml))
        .build()
        .and_then(config::Config::try_deserialize)
        .map_err(|error| refused(error.to_string()))?;
    validate_callers(&file.callers).map_err(|error| refused(error.to_string()))?;
    Ok(file.callers)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        file
    }

    const ONE_CALLER: &str = r#"
[[callers]]
id = "acme-bank"
role = "bank"
key_sha256 = "0000000000000000000000000000000000000000000000000000000000000001"
"#;

    #[test]
    fn a_file_of_callers_loads() {
        let callers = load(file(ONE_CALLER).path()).expect("loads");
        assert_eq!(callers.len(), 1);
        assert_eq!(callers[0].id, "acme-bank");
        assert_eq!(callers[0].role, "bank");
    }

    #[test]
    fn a_missing_file_is_named() {
        let error = load(Path::new("/nonexistent/callers.toml")).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("/nonexistent/callers.toml"), "{message}");
        assert!(message.contains("No such file"), "{message}");
    }

    #[test]
    fn garbled_or_invalid_files_are_refused_with_the_reason() {
        for (text, expected) in [
            ("[[callers]\nid = ", "callers file"),
            ("[[caller]]\nid = \"x\"", "caller"),
            ("callers = []", "at least one caller"),
            (
                &ONE_CALLER.replace("\"bank\"", "\"banker\""),
                "none of bank, wallet",
            ),
            (&ONE_CALLER.replace("01\"", "0\""), "64 hex characters"),
            (&format!("{ONE_CALLER}{ONE_CALLER}"), "given twice"),
            (
                &format!("{ONE_CALLER}{}", ONE_CALLER.replace("acme-bank", "other")),
                "same key",
            ),
        ] {
            let error = load(file(text).path()).unwrap_err().to_string();
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(error.contains("callers file"), "{text:?}: {error}");
        }
    }
}
