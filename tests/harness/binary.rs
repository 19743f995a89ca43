//! Locating the `onboard` binary: built once per test process by the cargo that
//! runs the tests, in the same profile and target directory.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Path of the `onboard` binary (package `onboard-api`), built on first use.
/// `ONBOARD_TEST_BIN` names a prebuilt one instead.
pub fn onboard_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build).as_path()
}

/// Variables cargo sets when it runs a test binary.
const CARGO_TEST_VARS: [&str; 7] = [
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
];

fn build() -> PathBuf {
    if let Some(path) = std::env::var_os("ONBOARD_TEST_BIN") {
        let path = PathBuf::from(path);
        assert!(
            path.exists(),
            "ONBOARD_TEST_BIN={} does not exist",
            path.display()
        );
        return path;
    }
    let profile_dir = profile_dir();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let mut command = Command::new(cargo);
    command.args(["build", "-p", "onboard-api", "--bin", "onboard"]);
    // Variables cargo set for this test, not for the build: some build scripts
    // (ring's) track CARGO_MANIFEST_DIR, and inheriting it would make the next
    // `cargo test` rebuild them.
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if CARGO_TEST_VARS.contains(&key)
            || key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_BIN_EXE_")
        {
            command.env_remove(key);
        }
    }
    match profile_dir.file_name().and_then(|name| name.to_str()) {
        Some("debug") => {}
        Some("release") => {
            command.arg("--release");
        }
        Some(other) => {
            command.args(["--profile", other]);
        }
        None if !cfg!(debug_assertions) => {
            command.arg("--release");
        }
        None => {}
    }
    let output = command.output().expect("could not run cargo build");
    assert!(
        output.status.success(),
        "cargo build of the onboard binary failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = profile_dir.join(format!("onboard{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "built binary not found at {}",
        path.display()
    );
    path
}

/// `<target>/<profile>`, derived from this test executable (`<target>/<profile>/deps/api-…`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current test executable");
    let dir = exe.parent().expect("test executable has a directory");
    if dir.file_name().is_some_and(|name| name == "deps") {
        dir.parent().expect("deps has a parent").to_path_buf()
    } else {
        dir.to_path_buf()
    }
}
