//! Callers from a file (`--callers-file`, `ONBOARD_CALLERS_FILE`): its callers replace the
//! configured ones, so a caller of the file authenticates and a default one no longer does;
//! a missing or garbled file stops the start with its path and the reason.

use onboard_tests::{card_number, onboarding_body, person, Api, OnboardProcess, BANK_KEY};
use reqwest::Method;

use super::{assert_refused, callers_toml, serve, sha256_hex, write};

const FILE_BANK_KEY: &str = "file-bank-key-5e7a9c1b3d5f7a9c1e3b5d7f9a1c3e5b";
const FILE_WALLET_KEY: &str = "file-wallet-key-8f6d4b2a0e8c6a4f2d0b8e6c4a2f0d8b";

fn file_callers() -> String {
    callers_toml(&[
        ("file-bank", "bank", &sha256_hex(FILE_BANK_KEY)),
        ("file-wallet", "wallet", &sha256_hex(FILE_WALLET_KEY)),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn the_callers_of_the_file_replace_the_configured_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let callers = write(dir.path(), "callers.toml", &file_callers());
    let callers = callers.display().to_string();
    let server = OnboardProcess::start(serve(
        dir.path(),
        "serve",
        &["--callers-file", &callers],
        &[("ONBOARD_PARTIES__WALLET__CALLER_ID", "file-wallet")],
    ))
    .await;
    let api = Api::new(server.base_url());
    let body = onboarding_body(&person(), &card_number());
    api.send(
        Method::POST,
        "/v1/onboardings",
        Some(FILE_BANK_KEY),
        None,
        Some(&body),
    )
    .await
    .expect_status(202, "the file's bank");
    api.send(
        Method::POST,
        "/v1/onboardings",
        Some(BANK_KEY),
        None,
        Some(&body),
    )
    .await
    .expect_problem(
        401,
        "unauthenticated",
        "a configured caller the file replaced",
    );
    let prompts = "/v1/security-prompts?payment_account_id=pa_0";
    api.send(Method::GET, prompts, Some(FILE_WALLET_KEY), None, None)
        .await
        .expect_status(200, "the file's wallet");
}

#[test]
fn a_missing_garbled_or_invalid_callers_file_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("absent.toml").display().to_string();
    let garbled = write(dir.path(), "garbled.toml", "[[callers]\nid = ");
    let bad_role = write(
        dir.path(),
        "bad-role.toml",
        &file_callers().replace("\"bank\"", "\"banker\""),
    );
    let without_wallet = write(
        dir.path(),
        "without-wallet.toml",
        &callers_toml(&[("file-bank", "bank", &sha256_hex(FILE_BANK_KEY))]),
    );
    for (path, reason) in [
        (missing.clone(), "No such file"),
        (garbled.display().to_string(), "TOML parse error"),
        (
            bad_role.display().to_string(),
            "\"banker\" is none of bank, wallet",
        ),
    ] {
        assert_refused(
            serve(dir.path(), "serve", &[], &[("ONBOARD_CALLERS_FILE", &path)]),
            &[&format!("callers file {path}"), reason],
        );
    }
    // The file replaces every caller, so the wallet party's caller must be among them.
    let without_wallet = without_wallet.display().to_string();
    assert_refused(
        serve(
            dir.path(),
            "serve",
            &["--callers-file", &without_wallet],
            &[],
        ),
        &[
            "parties.wallet.caller_id",
            "\"sandbox-wallet\" is not the id of a caller",
        ],
    );
}
