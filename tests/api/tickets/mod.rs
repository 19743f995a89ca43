//! Accounts and tickets (seed 003) through the real binary, on Redis and on the embedded
//! store: every path of the contract, cross-app refusal, expiry, reuse detection (also a
//! refresh racing itself), the lockout, the per-address limit, and no clear credential or
//! key in the store or the logs.

mod contract;
mod expiry;
mod limits;
mod personal_data;
mod reuse;

use onboard_tests::{Reply, TestEnv};
use reqwest::Method;
use serde_json::{json, Value};

/// Bearer key of the resource server `sandbox-app`.
pub(crate) const APP_KEY: &str = "app_test_key";
/// Bearer key of the resource server `sandbox-app-2`.
pub(crate) const APP2_KEY: &str = "app2_test_key";
/// A password strong enough for an account.
pub(crate) const PASSWORD: &str = "tangerine-Orbit-7-quilt";

/// A username no other test uses.
pub(crate) fn username() -> String {
    format!("user.{}", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// The keyless and app calls of the tickets API.
pub(crate) struct Tickets<'a>(pub(crate) &'a TestEnv);

impl Tickets<'_> {
    async fn post(&self, path: &str, key: Option<&str>, body: Value) -> Reply {
        self.0
            .api
            .send(Method::POST, path, key, None, Some(&body))
            .await
    }

    /// `POST /v1/accounts`.
    pub(crate) async fn register(&self, username: &str, password: &str) -> Reply {
        let body = json!({ "username": username, "password": password });
        self.post("/v1/accounts", None, body).await
    }

    /// Registers `username` with [`PASSWORD`]; answers the user id.
    pub(crate) async fn account(&self, username: &str) -> String {
        let reply = self.register(username, PASSWORD).await;
        reply.expect_status(201, "POST /v1/accounts");
        reply.body["user_id"].as_str().expect("user_id").to_owned()
    }

    /// `POST /v1/tickets`.
    pub(crate) async fn login(&self, username: &str, password: &str, app_id: &str) -> Reply {
        let body = json!({ "username": username, "password": password, "app_id": app_id });
        self.post("/v1/tickets", None, body).await
    }

    /// Logs `username` in with [`PASSWORD`] for `app_id`; answers the ticket.
    pub(crate) async fn ticket(&self, username: &str, app_id: &str) -> Value {
        let reply = self.login(username, PASSWORD, app_id).await;
        reply.expect_status(201, "POST /v1/tickets");
        reply.body.clone()
    }

    /// `POST /v1/tickets/verify` by the app holding `app_key`.
    pub(crate) async fn verify(&self, app_key: &str, ticket: &Value) -> Reply {
        let body = json!({
            "user_id": ticket["user_id"],
            "authorization_key": ticket["authorization_key"],
        });
        self.post("/v1/tickets/verify", Some(app_key), body).await
    }

    /// `POST /v1/tickets/refresh` with the ticket's refresh key.
    pub(crate) async fn refresh(&self, ticket: &Value, app_id: &str) -> Reply {
        self.post("/v1/tickets/refresh", None, family(ticket, app_id))
            .await
    }

    /// `POST /v1/tickets/revoke` with the ticket's refresh key.
    pub(crate) async fn revoke(&self, ticket: &Value, app_id: &str) -> Reply {
        self.post("/v1/tickets/revoke", None, family(ticket, app_id))
            .await
    }
}

/// The body naming a ticket's family by its refresh key.
pub(crate) fn family(ticket: &Value, app_id: &str) -> Value {
    json!({
        "user_id": ticket["user_id"],
        "app_id": app_id,
        "refresh_key": ticket["refresh_key"],
    })
}
