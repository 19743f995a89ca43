//! The production guard: with the sandbox off, `onboard serve` refuses every public value
//! of `config/default.toml` before it binds its port, and starts with real ones. Here the
//! real deployment's parties are an `onboard sandbox` process at `--sandbox-url`, its
//! callers come from `ONBOARD_CALLERS_FILE` and its keys from `ONBOARD_CONFIG`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use onboard_config::public_defaults::{CALLER_KEYS, DATA_KEY, HMAC_KEY};
use onboard_tests::{
    card_number, is_final, onboarding_body, person, redis_url, Api, OnboardProcess, RedisProbe,
    TestEnv, BANK_KEY,
};
use reqwest::Method;

use super::{assert_refused, callers_toml, serve, sha256_hex, write, REAL_DATA_KEY, REAL_HMAC_KEY};

/// The deployment's own caller keys.
const ACME_BANK_KEY: &str = "acme-bank-key-9c1d6f0e4b7a4e2f8d3c5b1a0f9e8d7c";
const ACME_WALLET_KEY: &str = "acme-wallet-key-2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e0b";
/// The id of the deployment's data key, written into everything it seals.
const DATA_KEY_ID: &str = "acme-2026";

/// A production configuration: sandbox off, the wallet party's caller, own keys.
fn production_config(data_key: &str) -> String {
    format!(
        "[sandbox]\nenabled = false\n\n[parties.wallet]\ncaller_id = \"acme-wallet\"\n\n\
         [security]\nhmac_key = \"{REAL_HMAC_KEY}\"\n\n\
         [[security.data_keys]]\nid = \"{DATA_KEY_ID}\"\nkey = \"{data_key}\"\n"
    )
}

/// The deployment's callers, the bank's key hash given.
fn acme_callers(bank_hash: &str) -> String {
    callers_toml(&[
        ("acme-bank", "bank", bank_hash),
        ("acme-wallet", "wallet", &sha256_hex(ACME_WALLET_KEY)),
    ])
}

/// The files of a deployment in `dir`: configuration and callers.
fn deployment(dir: &Path, data_key: &str, bank_hash: &str) -> (PathBuf, PathBuf) {
    (
        write(dir, "production.toml", &production_config(data_key)),
        write(dir, "callers.toml", &acme_callers(bank_hash)),
    )
}

/// One public value in an otherwise real deployment, and the refusal it gets.
struct Case {
    bank_hash: String,
    data_key: &'static str,
    hmac_key: &'static str,
    refusal: String,
}

#[test]
fn each_public_value_is_refused_before_the_port_is_bound() {
    let real_bank = sha256_hex(ACME_BANK_KEY);
    let mut cases: Vec<Case> = CALLER_KEYS
        .iter()
        .map(|public| Case {
            bank_hash: public.sha256.to_owned(),
            data_key: REAL_DATA_KEY,
            hmac_key: REAL_HMAC_KEY,
            refusal: format!(
                "callers \"acme-bank\": key_sha256 is the public sandbox key for {}; give real \
                 callers with ONBOARD_CALLERS_FILE",
                public.key
            ),
        })
        .collect();
    cases.push(Case {
        bank_hash: real_bank.clone(),
        data_key: DATA_KEY,
        hmac_key: REAL_HMAC_KEY,
        refusal: format!(
            "security.data_keys[0] (id \"{DATA_KEY_ID}\"): key is the public sandbox data key"
        ),
    });
    cases.push(Case {
        bank_hash: real_bank,
        data_key: REAL_DATA_KEY,
        hmac_key: HMAC_KEY,
        refusal: "security.hmac_key is the public sandbox HMAC key; set your own".to_owned(),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, case) in cases.iter().enumerate() {
        let case_dir = dir.path().join(format!("case-{n}"));
        std::fs::create_dir_all(&case_dir).expect("case dir");
        let (config, callers) = deployment(&case_dir, case.data_key, &case.bank_hash);
        let (config, callers) = (config.display().to_string(), callers.display().to_string());
        let refusal = assert_refused(
            serve(
                &case_dir,
                "serve",
                &["--sandbox-url", "http://127.0.0.1:9"],
                &[
                    ("ONBOARD_CONFIG", &config),
                    ("ONBOARD_CALLERS_FILE", &callers),
                    ("ONBOARD_SECURITY__HMAC_KEY", case.hmac_key),
                ],
            ),
            &["refusing to start without the sandbox", &case.refusal],
        );
        assert!(!refusal.bound_a_port(), "case {n}: {}", refusal.stdout);
    }
}

#[test]
fn the_sandbox_configuration_with_the_sandbox_off_names_every_setting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let refusal = assert_refused(
        serve(
            dir.path(),
            "serve",
            &["--sandbox-url", "http://127.0.0.1:9"],
            &[("ONBOARD_SANDBOX__ENABLED", "false")],
        ),
        &[
            "callers \"sandbox-bank\": key_sha256 is the public sandbox key for bank_test_key",
            "callers \"admin\": key_sha256 is the public sandbox key for admin_test_key",
            "security.data_keys[0] (id \"sandbox-1\")",
            "security.hmac_key",
        ],
    );
    assert!(!refusal.bound_a_port(), "{}", refusal.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn real_keys_start_without_the_sandbox_and_serve_the_callers_of_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let parties = TestEnv::start_sandbox_process(dir.path()).await;
    let (config, callers) = deployment(dir.path(), REAL_DATA_KEY, &sha256_hex(ACME_BANK_KEY));
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let mut redis = RedisProbe::connect(&redis_url(), &prefix);
    let config = config.display().to_string();
    let callers = callers.display().to_string();
    let redis_url = redis_url();
    let server = OnboardProcess::start(serve(
        dir.path(),
        "serve",
        &[
            "--redis-url",
            &redis_url,
            "--sandbox-url",
            &parties.base_url(),
        ],
        &[
            ("ONBOARD_CONFIG", &config),
            ("ONBOARD_CALLERS_FILE", &callers),
            ("ONBOARD_STORE__KEY_PREFIX", &prefix),
            ("ONBOARD_TIMERS__POLL_INTERVAL_MS", "100"),
        ],
    ))
    .await;
    let api = Api::new(server.base_url());

    // No sandbox is served here, and the sandbox's bank key is nobody's.
    api.send(Method::GET, "/sandbox/ledger", None, None, None)
        .await
        .expect_problem(404, "not_found", "the sandbox of a production server");
    let body = onboarding_body(&person(), &card_number());
    api.send(
        Method::POST,
        "/v1/onboardings",
        Some(BANK_KEY),
        None,
        Some(&body),
    )
    .await
    .expect_problem(401, "unauthenticated", "the sandbox bank's key");

    let started = api
        .send(
            Method::POST,
            "/v1/onboardings",
            Some(ACME_BANK_KEY),
            None,
            Some(&body),
        )
        .await;
    started.expect_status(202, "the file's bank");
    let id = started.body["id"].as_str().expect("id").to_owned();
    let waiting = api
        .wait_for_workflow(
            "/v1/onboardings",
            ACME_BANK_KEY,
            &id,
            Duration::from_secs(20),
            "waiting",
            |w| w["status"] == "waiting" || is_final(w),
        )
        .await;
    let prompt_id = waiting["waiting_for"]["prompt_id"]
        .as_str()
        .expect("prompt")
        .to_owned();
    let decision = serde_json::json!({ "decision": "approve" });
    api.send(
        Method::POST,
        &format!("/v1/security-prompts/{prompt_id}/decision"),
        Some(ACME_WALLET_KEY),
        None,
        Some(&decision),
    )
    .await
    .expect_status(200, "the file's wallet decides");
    let done = api
        .wait_for_workflow(
            "/v1/onboardings",
            ACME_BANK_KEY,
            &id,
            Duration::from_secs(30),
            "final",
            is_final,
        )
        .await;
    assert_eq!(done["status"], "completed", "{done}");

    // The saga is sealed under the configured data key, which names itself in the value.
    let sealed_under = [&[2, DATA_KEY_ID.len() as u8][..], DATA_KEY_ID.as_bytes()].concat();
    let saga = redis
        .dump()
        .into_iter()
        .find(|(key, _)| key.contains(":saga:"))
        .expect("the saga in Redis");
    assert!(
        saga.1
            .windows(sealed_under.len())
            .any(|w| w == sealed_under),
        "saga {} not sealed under {DATA_KEY_ID}",
        saga.0
    );
    drop(server);
    redis.cleanup();
}
