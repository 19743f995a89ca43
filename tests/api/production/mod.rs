//! Production configuration through the real binary: the guard that refuses the public
//! sandbox values once the sandbox is off, callers given as a file, and the HMAC key pin.

mod callers_file;
mod guard;
mod hmac_pin;

use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use onboard_tests::{OnboardProcess, ProcessSpec};
use sha2::{Digest, Sha256};

/// A data key that is not the sandbox's (base64 of 32 bytes).
pub const REAL_DATA_KEY: &str = "cmVhbC1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyEhISE=";
/// An HMAC key that is not the sandbox's (base64 of 37 bytes).
pub const REAL_HMAC_KEY: &str = "cHJvZHVjdGlvbi1obWFjLWtleS0zMi1ieXRlcy1hdC1sZWFzdA==";
/// Another one, for a key change.
pub const OTHER_HMAC_KEY: &str = "YW5vdGhlci1wcm9kdWN0aW9uLWhtYWMta2V5LW9mLTMyLWJ5dGVz";

/// The hex SHA-256 of a bearer key, as `[[callers]]` holds it.
pub fn sha256_hex(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A `[[callers]]` table per `(id, role, key_sha256)`.
pub fn callers_toml(callers: &[(&str, &str, &str)]) -> String {
    callers
        .iter()
        .map(|(id, role, hash)| {
            format!("[[callers]]\nid = \"{id}\"\nrole = \"{role}\"\nkey_sha256 = \"{hash}\"\n\n")
        })
        .collect()
}

/// Writes `text` to `dir/name` and answers the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

/// `onboard serve` on the embedded store in `dir/data`, with `args` after it and `env`.
pub fn serve(dir: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> ProcessSpec {
    let mut all_args = vec![
        "serve".to_owned(),
        "--data-dir".to_owned(),
        dir.join("data").display().to_string(),
    ];
    all_args.extend(args.iter().map(|arg| (*arg).to_owned()));
    let mut all_env = vec![("RUST_LOG".to_owned(), "info".to_owned())];
    all_env.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    ProcessSpec {
        name: name.to_owned(),
        args: all_args,
        env: all_env,
        ready_path: "/readyz".into(),
        logs_dir: dir.join("logs"),
    }
}

/// What a process that refused to start wrote.
pub struct Refusal {
    /// Its log lines (JSON).
    pub stdout: String,
    /// The error it ended with.
    pub stderr: String,
}

impl Refusal {
    /// Whether the process logged that it bound its port.
    pub fn bound_a_port(&self) -> bool {
        self.stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .any(|line| line["fields"]["message"] == "listening")
    }
}

/// Runs `spec` to its exit and asserts it refused to start with an error holding each of
/// `expected`.
#[track_caller]
pub fn assert_refused(spec: ProcessSpec, expected: &[&str]) -> Refusal {
    let (status, process) = OnboardProcess::run_to_exit(spec, std::time::Duration::from_secs(30));
    let stderr = process.stderr_logs();
    let stdout = process.stdout_logs();
    let status: ExitStatus = status.unwrap_or_else(|| {
        panic!("still running after 30 s:\n{stdout}\n{stderr}");
    });
    assert!(
        !status.success(),
        "exited with {status}:\n{stdout}\n{stderr}"
    );
    for fragment in expected {
        assert!(
            stderr.contains(fragment),
            "{fragment:?} not in the refusal:\n{stderr}"
        );
    }
    Refusal { stdout, stderr }
}
