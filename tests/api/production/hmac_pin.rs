//! The HMAC key is never rotated silently: the store keeps its fingerprint from the first
//! start, a start with another key is refused, and `--replace-hmac-key` changes it on
//! purpose (with a warning), after which the new key is the one held to. On both backends.

use std::path::Path;

use onboard_tests::{redis_url, OnboardProcess, ProcessSpec, RedisProbe};

use super::{assert_refused, serve, OTHER_HMAC_KEY, REAL_HMAC_KEY};

/// How the store is chosen: extra arguments and variables of every start.
struct Store<'a> {
    args: &'a [&'a str],
    env: &'a [(&'a str, &'a str)],
}

fn with_key(dir: &Path, store: &Store<'_>, key: &str, replace: bool) -> ProcessSpec {
    let mut args = store.args.to_vec();
    if replace {
        args.push("--replace-hmac-key");
    }
    let mut env = store.env.to_vec();
    env.push(("ONBOARD_SECURITY__HMAC_KEY", key));
    serve(dir, "serve", &args, &env)
}

/// Runs the whole sequence: pin, refuse, replace, keep, refuse the old key again.
async fn key_changes_need_the_operator(dir: &Path, store: &Store<'_>) {
    let mut first = OnboardProcess::start(with_key(dir, store, REAL_HMAC_KEY, false)).await;
    assert!(first.terminate(), "the first start stops on SIGTERM");

    let refusal = assert_refused(
        with_key(dir, store, OTHER_HMAC_KEY, false),
        &[
            "security.hmac_key is not the key this store was used with",
            "--replace-hmac-key",
        ],
    );
    assert!(
        !refusal.stderr.contains(OTHER_HMAC_KEY) && !refusal.stdout.contains(OTHER_HMAC_KEY),
        "the key itself is never written out"
    );

    let mut replaced = OnboardProcess::start(with_key(dir, store, OTHER_HMAC_KEY, true)).await;
    assert!(replaced.terminate(), "the replacing start stops on SIGTERM");
    assert!(
        replaced
            .stdout_logs()
            .contains("security.hmac_key replaced"),
        "the replacement is logged as a warning:\n{}",
        replaced.stdout_logs()
    );

    let mut kept = OnboardProcess::start(with_key(dir, store, OTHER_HMAC_KEY, false)).await;
    assert!(
        kept.terminate(),
        "a start with the new key stops on SIGTERM"
    );

    assert_refused(
        with_key(dir, store, REAL_HMAC_KEY, false),
        &["security.hmac_key is not the key this store was used with"],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_store_holds_the_hmac_key_to_its_first_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let embedded = Store {
        args: &[],
        env: &[],
    };
    key_changes_need_the_operator(dir.path(), &embedded).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_holds_the_hmac_key_to_its_first_value_by_its_fingerprint_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let url = redis_url();
    let mut redis = RedisProbe::connect(&url, &prefix);
    let on_redis = Store {
        args: &["--redis-url", url.as_str()],
        env: &[("ONBOARD_STORE__KEY_PREFIX", prefix.as_str())],
    };
    key_changes_need_the_operator(dir.path(), &on_redis).await;

    let pins: Vec<(String, Vec<u8>)> = redis
        .dump()
        .into_iter()
        .filter(|(key, _)| key.contains(":pin:"))
        .collect();
    redis.cleanup();
    assert_eq!(pins.len(), 1, "{pins:?}");
    assert_eq!(pins[0].0, format!("{prefix}:pin:hmac_key"));
    let fingerprint = String::from_utf8(pins[0].1.clone()).expect("text");
    assert_eq!(fingerprint.len(), 64, "{fingerprint}");
    assert!(
        fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{fingerprint}"
    );
    assert!(!fingerprint.contains(OTHER_HMAC_KEY));
}
