//! The HTTP calls of one link flow and of one service request, as the merchant's server and
//! the wallet's server make them.

use std::time::{Duration, Instant};

use anyhow::Context as _;
use reqwest::Method;
use serde_json::{json, Value};

use crate::api::{Api, Caller};

/// How long one service request may take before the bench gives up on it.
const REQUEST_PATIENCE: Duration = Duration::from_secs(60);

/// One whole link flow for the wallet account `account`: the merchant creates a link for
/// its user `user_ref`, the wallet exchanges the link token and the account for a virtual
/// id, the merchant completes the link with it. Answers the virtual id.
pub async fn link(api: &Api, account: &str, user_ref: &str) -> anyhow::Result<String> {
    let body = json!({ "merchant_user_ref": user_ref });
    let link = api
        .call(
            Caller::Merchant,
            Method::POST,
            "/v1/links",
            Some(&body),
            201,
            "create link",
        )
        .await?;
    let id = text(&link, "id")?;
    let body = json!({ "payment_account_id": account, "link_token": text(&link, "link_token")? });
    let minted = api
        .call(
            Caller::Wallet,
            Method::POST,
            "/v1/virtual-accounts",
            Some(&body),
            201,
            "exchange",
        )
        .await?;
    let virtual_id = text(&minted, "virtual_account_id")?;
    let body = json!({ "virtual_account_id": virtual_id });
    let completed = api
        .call(
            Caller::Merchant,
            Method::POST,
            &format!("/v1/links/{id}/complete"),
            Some(&body),
            200,
            "complete link",
        )
        .await?;
    anyhow::ensure!(
        completed["status"] == "linked",
        "link {id} completed as {}",
        completed["status"]
    );
    Ok(virtual_id)
}

/// One service request, a charge of `amount` (e.g. `12.34`) with `virtual_id`, followed with
/// `GET ?wait=10` until it is final; an error unless it ends `completed`.
pub async fn charge(api: &Api, virtual_id: &str, amount: &str) -> anyhow::Result<()> {
    let body = json!({
        "virtual_account_id": virtual_id,
        "operation": "charge",
        "amount": { "amount": amount, "currency": "CNY" },
    });
    let accepted = api
        .call(
            Caller::Merchant,
            Method::POST,
            "/v1/service-requests",
            Some(&body),
            201,
            "service request",
        )
        .await?;
    let id = text(&accepted, "id")?;
    let deadline = Instant::now() + REQUEST_PATIENCE;
    let mut request = accepted;
    while request["status"] == "accepted" {
        anyhow::ensure!(
            Instant::now() < deadline,
            "service request {id} never ended"
        );
        request = api
            .call(
                Caller::Merchant,
                Method::GET,
                &format!("/v1/service-requests/{id}?wait=10"),
                None,
                200,
                "wait",
            )
            .await?;
    }
    anyhow::ensure!(
        request["status"] == "completed",
        "service request {id} ended {} ({})",
        request["status"],
        request["error"]
    );
    Ok(())
}

/// The string field `field` of an answer.
fn text(value: &Value, field: &str) -> anyhow::Result<String> {
    value[field]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("an answer without {field}"))
}
