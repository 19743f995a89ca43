//! The real-name gate against the sandbox wallet on real HTTP: a match yields the
//! wallet's full record; mismatches create nothing, count durably, and are limited.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, HttpServer};
use onboard_actors::parties::HttpParties;
use onboard_actors::store::AttemptStore;
use onboard_sandbox::Sandbox;
use onboard_services::{RealNameError, RealNameGate};
use onboard_workflows::domain::{History, IdSuffix, PaymentAccountId, PersonName};
use serde_json::json;
use tempfile::TempDir;

/// The attempt counters of either backend, where mismatches are counted.
type Store = Arc<dyn AttemptStore>;

const NAME: &str = "张三";
const ID_NUMBER: &str = "110101199003074514";

/// The sandbox on a free loopback port, serving while the directory lives.
pub(crate) struct Wallet {
    _dir: TempDir,
    base_url: String,
}

impl Wallet {
    /// Where the sandbox serves, e.g. `http://127.0.0.1:4000/sandbox`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn start() -> Wallet {
        let dir = tempfile::tempdir().expect("temp dir");
        let sandbox = Sandbox::open(&dir.path().join("sandbox.redb")).expect("open sandbox");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let server = HttpServer::new(move || App::new().service(sandbox.service()))
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run();
        actix_web::rt::spawn(server);
        Wallet {
            _dir: dir,
            base_url: format!("http://{addr}/sandbox"),
        }
    }

    pub(crate) fn parties(&self) -> HttpParties {
        HttpParties::new(&self.base_url, Duration::from_secs(3)).expect("client")
    }

    /// A person with an open account and a usage history; the account's id.
    pub(crate) async fn open_account(&self) -> PaymentAccountId {
        let reply: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/wallet/users", self.base_url))
            .json(&json!({
                "name": NAME,
                "id_number": ID_NUMBER,
                "phone": "+8613800138000",
                "history": {"months_active": 12, "payment_count": 40, "payment_volume": "1234.50"},
            }))
            .send()
            .await
            .expect("sandbox answers")
            .error_for_status()
            .expect("user created")
            .json()
            .await
            .expect("json");
        PaymentAccountId::parse(reply["payment_account_id"].as_str().expect("account id"))
            .expect("the wallet's account id parses")
    }
}

fn typed(name: &str, suffix: &str) -> (PersonName, IdSuffix) {
    (
        PersonName::parse(name).unwrap(),
        IdSuffix::parse(suffix).unwrap(),
    )
}

async fn mismatches_of(store: &Store, account: &PaymentAccountId) -> u64 {
    // The counter's key is the one used before the services layer, so counts carry over.
    store
        .attempts(&format!("real_name_mismatch:{account}"))
        .await
        .unwrap()
}

on_both_stores!(
    attempts:
    a_match_yields_the_wallets_full_record,
    mismatches_count_and_the_sixth_attempt_is_limited,
    an_unknown_account_is_a_mismatch,
    an_unreachable_wallet_is_unavailable_and_counts_nothing,
);

async fn a_match_yields_the_wallets_full_record(store: Store) {
    let wallet = Wallet::start();
    let account = wallet.open_account().await;
    let gate = RealNameGate::new(wallet.parties(), store.clone());
    let (name, suffix) = typed(" 张三 ", "4514");
    let request = gate.matched(&account, &name, &suffix).await.unwrap();
    assert_eq!(request.payment_account_id, account);
    assert_eq!(request.name.expose(), NAME);
    assert_eq!(request.id_number.expose(), ID_NUMBER);
    assert_eq!(
        request.history,
        History {
            months_active: 12,
            payment_count: 40,
            payment_volume: "1234.50".into(),
        }
    );
    assert_eq!(mismatches_of(&store, &account).await, 0);
}

async fn mismatches_count_and_the_sixth_attempt_is_limited(store: Store) {
    let wallet = Wallet::start();
    let account = wallet.open_account().await;
    let gate = RealNameGate::new(wallet.parties(), store.clone());
    let wrong = [
        (NAME, "4515"),
        (NAME, "074513"),
        (NAME, "11010"),
        ("张三伟", "074514"),
        ("王小明", "4514"),
    ];
    for (n, (name, suffix)) in wrong.iter().enumerate() {
        let (name, suffix) = typed(name, suffix);
        let refused = gate.matched(&account, &name, &suffix).await;
        assert!(
            matches!(refused, Err(RealNameError::Mismatch)),
            "attempt {}: {refused:?}",
            n + 1
        );
    }
    assert_eq!(mismatches_of(&store, &account).await, 5);
    let (name, suffix) = typed(NAME, "074514");
    match gate.matched(&account, &name, &suffix).await {
        Err(RealNameError::Limited { retry_after_secs }) => assert_eq!(retry_after_secs, 3600),
        other => panic!("the right info after five mismatches: {other:?}"),
    }
    assert_eq!(
        mismatches_of(&store, &account).await,
        5,
        "a refusal is no mismatch"
    );
}

async fn an_unknown_account_is_a_mismatch(store: Store) {
    let wallet = Wallet::start();
    let gate = RealNameGate::new(wallet.parties(), store.clone());
    let (name, suffix) = typed(NAME, "4514");
    let unknown = PaymentAccountId::parse("pa_unknown").unwrap();
    let refused = gate.matched(&unknown, &name, &suffix).await;
    assert!(
        matches!(refused, Err(RealNameError::Mismatch)),
        "{refused:?}"
    );
    assert_eq!(mismatches_of(&store, &unknown).await, 1);
}

async fn an_unreachable_wallet_is_unavailable_and_counts_nothing(store: Store) {
    // A port that was free a moment ago: nothing answers there.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port();
    let parties = HttpParties::new(
        &format!("http://127.0.0.1:{port}/sandbox"),
        Duration::from_secs(1),
    )
    .expect("client");
    let gate = RealNameGate::new(parties, store.clone());
    let (name, suffix) = typed(NAME, "4514");
    let account = PaymentAccountId::parse("pa_1").unwrap();
    let refused = gate.matched(&account, &name, &suffix).await;
    assert!(
        matches!(refused, Err(RealNameError::RecordUnavailable(_))),
        "{refused:?}"
    );
    assert_eq!(mismatches_of(&store, &account).await, 0);
}
