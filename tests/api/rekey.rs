//! Key rotation through the binary, on Redis (online: `onboard rekey` runs while the
//! server serves) and on the embedded store (with the server stopped; refused while it
//! runs): data sealed under key 1; key 2 put first with key 1 kept to open; rekey; key 1
//! removed; every saga still reads, the ticket account still logs in, the link still reads
//! and its virtual id still charges, the waiting saga is still driven to the end, and every
//! sealed value now names key 2.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use onboard_actors::seal::Sealer;
use onboard_actors::store::{EmbeddedStore, RedisStore, SealedKind, SealedStore};
use onboard_tests::{
    card_number, onboard_binary, onboarding_body, person, redis_url, TestEnv, TestEnvBuilder,
    MERCHANT_KEY,
};

use crate::flows::{start_until_prompt, Prompted};
use crate::linking;
use crate::tickets::{Tickets, PASSWORD};

const KEY_1: (&str, &str) = ("rotation-1", "cm90YXRpb24tdGVzdC1rZXktbnVtYmVyLW9uZS0zMmI=");
const KEY_2: (&str, &str) = ("rotation-2", "cm90YXRpb24tdGVzdC1rZXktbnVtYmVyLXR3by0zMmI=");

/// The `[security]` data keys of a configuration file: the first seals, all open.
fn keys_config(keys: &[(&str, &str)]) -> String {
    keys.iter()
        .map(|(id, key)| format!("[[security.data_keys]]\nid = \"{id}\"\nkey = \"{key}\"\n\n"))
        .collect()
}

/// The configuration file of a test, rewritten as the rotation goes.
struct KeyFile(PathBuf);

impl KeyFile {
    fn at(dir: &Path) -> KeyFile {
        let file = KeyFile(dir.join("keys.toml"));
        file.write(&[KEY_1]);
        file
    }

    fn write(&self, keys: &[(&str, &str)]) {
        std::fs::write(&self.0, keys_config(keys)).expect("write the key file");
    }
}

/// What the rotation must keep readable: a completed and a waiting saga, an account, and a
/// merchant's link with its virtual account.
struct Data {
    completed: String,
    waiting: Prompted,
    username: String,
    link: String,
    virtual_id: String,
}

async fn sealed_under_key_1(env: &TestEnv) -> Data {
    let known = person();
    let account = env.sandbox.create_wallet_user(&known).await;
    let completed = env
        .api
        .start_onboarding(&onboarding_body(&known, &card_number()))
        .await;
    assert_eq!(env.api.wait_final(&completed).await["status"], "completed");
    let waiting = start_until_prompt(env).await;
    let username = crate::tickets::username();
    Tickets(env).account(&username).await;
    let created = linking::create_link(&env.api, MERCHANT_KEY, "user-rotated").await;
    let link = created.body["id"].as_str().expect("a link").to_owned();
    let token = created.body["link_token"].as_str().expect("a token");
    let minted = linking::exchange(&env.api, &account, token).await;
    let virtual_id = minted.body["virtual_account_id"].as_str().expect("an id");
    linking::complete(&env.api, MERCHANT_KEY, &link, virtual_id)
        .await
        .expect_status(200, "the link's completion");
    Data {
        completed,
        waiting,
        username,
        link,
        virtual_id: virtual_id.to_owned(),
    }
}

/// `onboard rekey` with the test's store flags and key file.
fn rekey(store_args: &[String], key_prefix: &str, key_file: &KeyFile) -> Output {
    let mut command = Command::new(onboard_binary());
    for (key, _) in std::env::vars() {
        if key.starts_with("ONBOARD_") {
            command.env_remove(key);
        }
    }
    command
        .arg("rekey")
        .args(store_args)
        .env("ONBOARD_CONFIG", &key_file.0)
        .env("ONBOARD_STORE__KEY_PREFIX", key_prefix)
        .output()
        .expect("run onboard rekey")
}

fn text(output: &Output) -> String {
    format!(
        "exit {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The summary line says what was resealed; no progress bar was drawn into the pipe.
fn assert_rekeyed(output: &Output) {
    let all = text(output);
    assert!(output.status.success(), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let summary = stdout
        .lines()
        .find(|line| line.starts_with("rekey to key"))
        .unwrap_or_else(|| panic!("no summary line: {all}"));
    assert!(summary.contains("\"rotation-2\""), "{summary}");
    assert!(summary.contains("saga_state 2 resealed"), "{summary}");
    assert!(summary.contains("username 1 resealed"), "{summary}");
    assert!(summary.contains("0 left; username"), "{summary}");
    assert!(
        !stdout.contains('\r'),
        "a progress bar drawn into a pipe: {all}"
    );
}

/// Every sealed value names key 2 and opens with key 2 alone.
async fn all_under_key_2(store: &dyn SealedStore) {
    let only_2 = Sealer::new(KEY_2, &[]).expect("key 2");
    for kind in SealedKind::ALL {
        let mut cursor: Option<String> = None;
        let mut seen = 0;
        loop {
            let page = store
                .sealed_page(kind, cursor.as_deref(), 100)
                .await
                .expect("page");
            for value in &page.values {
                assert_eq!(Sealer::key_id_of(&value.sealed), Some(KEY_2.0));
                only_2
                    .open_bytes(value.context.as_bytes(), &value.sealed)
                    .expect("opens with key 2");
                seen += 1;
            }
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert!(seen > 0, "no {}", kind.as_str());
    }
}

/// With key 1 gone: both sagas read, the account logs in, the waiting saga completes.
async fn readable_with_key_2_only(env: &TestEnv, data: &Data) {
    for id in [&data.completed, &data.waiting.id] {
        env.api
            .try_get_onboarding(id, 0)
            .await
            .expect("GET transport")
            .expect_status(200, "GET after the rotation");
    }
    Tickets(env)
        .login(&data.username, PASSWORD, "sandbox-app")
        .await
        .expect_status(201, "login after the rotation");
    let link = linking::get_link(&env.api, MERCHANT_KEY, &data.link).await;
    link.expect_status(200, "the link after the rotation");
    assert_eq!(link.body["merchant_user_ref"], "user-rotated");
    let charged = linking::charge(&env.api, MERCHANT_KEY, &data.virtual_id, "3", None).await;
    charged.expect_status(201, "a charge after the rotation");
    let done = linking::settled(&env.api, charged.body["id"].as_str().expect("an id")).await;
    assert_eq!(done["status"], "completed", "{done}");
    let decided = env.api.decide(&data.waiting.prompt_id, "approve").await;
    decided.expect_status(200, "approve after the rotation");
    assert_eq!(
        decided.body["workflow_status"], "completed",
        "{}",
        decided.text
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn redis_rekey_runs_online_and_key_1_can_then_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = KeyFile::at(dir.path());
    let mut env = TestEnvBuilder::redis()
        .env("ONBOARD_CONFIG", keys.0.display())
        .start()
        .await;
    let data = sealed_under_key_1(&env).await;

    keys.write(&[KEY_2, KEY_1]);
    env.server.restart().await;
    let store_args = vec!["--redis-url".to_owned(), redis_url()];
    let output = tokio::task::spawn_blocking({
        let (args, prefix) = (store_args.clone(), env.prefix.clone());
        let keys = KeyFile(keys.0.clone());
        move || rekey(&args, &prefix, &keys)
    })
    .await
    .expect("rekey task");
    assert_rekeyed(&output);
    let again = rekey(&store_args, &env.prefix, &keys);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("saga_state 0 resealed, 2 already current"),
        "{}",
        text(&again)
    );
    let store = RedisStore::connect(&redis_url(), &env.prefix, Duration::from_secs(5))
        .await
        .expect("connect");
    all_under_key_2(&store).await;

    keys.write(&[KEY_2]);
    env.server.restart().await;
    readable_with_key_2_only(&env, &data).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_rekey_needs_the_server_stopped_and_key_1_can_then_go() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = KeyFile::at(dir.path());
    let mut env = TestEnvBuilder::embedded()
        .env("ONBOARD_CONFIG", keys.0.display())
        .start()
        .await;
    let data = sealed_under_key_1(&env).await;
    keys.write(&[KEY_2, KEY_1]);
    let data_dir = env.dir().join("data");
    let store_args = vec!["--data-dir".to_owned(), data_dir.display().to_string()];

    let refused = rekey(&store_args, &env.prefix, &keys);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(
        text(&refused).contains("in use by another process"),
        "{}",
        text(&refused)
    );

    assert!(env.server.terminate(), "the server did not stop");
    assert_rekeyed(&rekey(&store_args, &env.prefix, &keys));
    {
        let store = EmbeddedStore::open(&data_dir.join("onboard.redb")).expect("open");
        all_under_key_2(&store).await;
    }

    keys.write(&[KEY_2]);
    env.server.restart().await;
    readable_with_key_2_only(&env, &data).await;
}
