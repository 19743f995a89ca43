use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::App;
use onboard_sandbox::Sandbox;
use serde_json::{json, Value};
use tempfile::TempDir;

pub const ID_NUMBER: &str = "110105194912310029";
pub const CARD: &str = "4111111111111111";
pub const OTHER_ID_NUMBER: &str = "11010519491231003X";
pub const SAVINGS_CARD: &str = "6222020000000000123";

/// A sandbox on a database file of its own, removed with the value.
pub struct TestSandbox {
    pub sandbox: Sandbox,
    dir: TempDir,
}

impl TestSandbox {
    pub fn new() -> TestSandbox {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Sandbox::open(&db_path(&dir)).unwrap();
        TestSandbox { sandbox, dir }
    }

    /// Drops the sandbox (closing its database) and opens the same file again,
    /// as a restarted process would. Every `TestApp` of it must be gone.
    pub fn reopen(self) -> TestSandbox {
        let TestSandbox { sandbox, dir } = self;
        drop(sandbox);
        let sandbox = Sandbox::open(&db_path(&dir)).unwrap();
        TestSandbox { sandbox, dir }
    }

    pub async fn app(&self) -> TestApp {
        let service = Rc::new(test::init_service(App::new().service(self.sandbox.service())).await);
        TestApp {
            call: Box::new(move |request: TestRequest| {
                let service = Rc::clone(&service);
                Box::pin(async move {
                    let response = test::call_service(&*service, request.to_request()).await;
                    let status = response.status();
                    let bytes = test::read_body(response).await;
                    // A body that is not JSON (a `garbled` fault's) is kept as text.
                    let body = if bytes.is_empty() {
                        Value::Null
                    } else {
                        serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                            Value::String(String::from_utf8_lossy(&bytes).into_owned())
                        })
                    };
                    (status, body)
                })
            }),
        }
    }
}

fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("nested").join("sandbox.redb")
}

type Call = Box<dyn Fn(TestRequest) -> Pin<Box<dyn Future<Output = (StatusCode, Value)>>>>;

/// The sandbox's routes in an actix test service.
pub struct TestApp {
    call: Call,
}

impl TestApp {
    pub async fn post(&self, path: &str, key: Option<&str>, body: Value) -> (StatusCode, Value) {
        let mut request = TestRequest::post().uri(path).set_json(body);
        if let Some(key) = key {
            request = request.insert_header(("Idempotency-Key", key));
        }
        (self.call)(request).await
    }

    pub async fn delete(&self, path: &str) -> StatusCode {
        (self.call)(TestRequest::delete().uri(path)).await.0
    }

    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = (self.call)(TestRequest::get().uri(path)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn ledger(&self) -> Vec<Value> {
        self.get("/sandbox/ledger").await["effects"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn accounts(&self, id_number: &str) -> Vec<Value> {
        self.get(&format!("/sandbox/wallet/persons/{id_number}"))
            .await["accounts"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Registers an account for `ID_NUMBER` through the party call.
    pub async fn register(&self, key: &str) -> String {
        let (status, body) = self
            .post("/sandbox/wallet/register_account", Some(key), person())
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["payment_account_id"].as_str().unwrap().to_owned()
    }

    pub async fn bind(&self, key: &str, payment_account_id: &str) -> String {
        let body = json!({ "payment_account_id": payment_account_id, "card_number": CARD });
        let (status, body) = self
            .post("/sandbox/wallet/bind_card", Some(key), body)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["binding_id"].as_str().unwrap().to_owned()
    }

    pub async fn inject(&self, fault: Value) {
        let (status, body) = self.post("/sandbox/faults", None, fault).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    /// A person the wallet already knows, not registered by a saga.
    pub async fn create_user(&self, body: Value) -> String {
        let (status, body) = self.post("/sandbox/wallet/users", None, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["payment_account_id"].as_str().unwrap().to_owned()
    }
}

impl TestApp {
    /// Binds `SAVINGS_CARD` as the savings account of an open account.
    pub async fn bind_savings(&self, key: &str, payment_account_id: &str) -> String {
        let body = json!({ "payment_account_id": payment_account_id, "card_number": SAVINGS_CARD });
        let (status, body) = self
            .post("/sandbox/wallet/bind_savings_card", Some(key), body)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["binding_id"].as_str().unwrap().to_owned()
    }

    /// Opens a credit account for `ID_NUMBER`; answers the whole reply.
    pub async fn create_credit_account(&self, key: &str, history: Value) -> Value {
        let (status, body) = self
            .post(
                "/sandbox/bank/create_credit_account",
                Some(key),
                credit_application(history),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// What `POST /sandbox/bank/credit_account_lookup` answers for `ID_NUMBER`.
    pub async fn credit_lookup(&self) -> Value {
        let body = json!({ "name": "Li Lei", "id_number": ID_NUMBER });
        let (status, body) = self
            .post("/sandbox/bank/credit_account_lookup", None, body)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// The credit accounts the bank holds for `id_number`.
    pub async fn credit_accounts(&self, id_number: &str) -> Vec<Value> {
        self.get(&format!("/sandbox/bank/persons/{id_number}"))
            .await["credit_accounts"]
            .as_array()
            .unwrap()
            .clone()
    }
}

/// A `create_credit_account` body for `ID_NUMBER` with this history.
pub fn credit_application(history: Value) -> Value {
    json!({
        "name": "Li Lei",
        "id_number": ID_NUMBER,
        "payment_account_id": "pa_000000000000000000000001",
        "savings_binding_id": "bd_000000000000000000000001",
        "history": history,
    })
}

pub fn history(months_active: u32, payment_count: u32, payment_volume: &str) -> Value {
    json!({
        "months_active": months_active,
        "payment_count": payment_count,
        "payment_volume": payment_volume,
    })
}

pub fn person() -> Value {
    json!({ "name": "Li Lei", "id_number": ID_NUMBER, "phone": "+8613800000000" })
}
