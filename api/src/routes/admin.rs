//! Operator endpoints: list workflows; cancel, retry, pause and resume one; read its
//! history.

use actix_web::{web, HttpRequest, HttpResponse};
use onboard_actors::store::ListFilter;
use onboard_actors::{Engine, SagaView};
use onboard_services::Idempotency;
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::{SagaKind, SagaStatus, Signal};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{roles, Authorized, Caller};
use crate::idempotency::{workflow, Keyed};
use crate::openapi::fields;
use crate::problem::ApiError;

/// Query of the workflow listing.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only workflows in this status; empty: any.
    #[param(value_type = Option<fields::StatusFilterParam>, inline)]
    status: Option<String>,
    /// Only workflows of this kind; empty: any.
    #[param(value_type = Option<fields::KindFilterParam>, inline)]
    kind: Option<String>,
    /// Only paused (`true`) or only unpaused (`false`) workflows; absent: both.
    paused: Option<bool>,
    /// At most this many, newest first: default 100, 0 counts as 1, above 1000 as 1000.
    #[param(value_type = Option<fields::ListLimitParam>, inline)]
    limit: Option<usize>,
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<T>, ApiError> {
    raw.filter(|s| !s.is_empty())
        .map(|s| {
            serde_json::from_value(serde_json::Value::String(s.to_owned()))
                .map_err(|_| ApiError::field(field, format!("{field}: unknown value")))
        })
        .transpose()
}

/// Workflows matching the filter, newest first.
pub async fn list(
    _caller: Authorized<roles::Operator>,
    query: web::Query<ListQuery>,
    engine: web::Data<Engine>,
) -> Result<HttpResponse, ApiError> {
    let filter = ListFilter {
        status: parse_enum::<SagaStatus>("status", query.status.as_deref())?,
        kind: parse_enum::<SagaKind>("kind", query.kind.as_deref())?,
        paused: query.paused,
        limit: query.limit.unwrap_or(100).clamp(1, 1000),
    };
    let workflows = engine.list(&filter).await?;
    Ok(HttpResponse::Ok().json(json!({ "workflows": workflows })))
}

/// Compensates a running, paused or waiting saga.
pub async fn cancel(
    caller: Authorized<roles::Operator>,
    req: HttpRequest,
    path: web::Path<WorkflowId>,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
) -> Result<HttpResponse, ApiError> {
    operate(req, &caller, idempotency, || async {
        Ok(engine.signal(&path, Signal::Cancel).await?)
    })
    .await
}

/// Resumes the compensation of a failed saga.
pub async fn retry(
    caller: Authorized<roles::Operator>,
    req: HttpRequest,
    path: web::Path<WorkflowId>,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
) -> Result<HttpResponse, ApiError> {
    operate(req, &caller, idempotency, || async {
        Ok(engine.signal(&path, Signal::Retry).await?)
    })
    .await
}

/// Pauses a saga that has not ended: no further party call until it is resumed.
pub async fn pause(
    caller: Authorized<roles::Operator>,
    req: HttpRequest,
    path: web::Path<WorkflowId>,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
) -> Result<HttpResponse, ApiError> {
    operate(req, &caller, idempotency, || async {
        Ok(engine.pause(&path).await?)
    })
    .await
}

/// Resumes a saga that has not ended, with a fresh attempt budget.
pub async fn resume(
    caller: Authorized<roles::Operator>,
    req: HttpRequest,
    path: web::Path<WorkflowId>,
    engine: web::Data<Engine>,
    idempotency: web::Data<Idempotency>,
) -> Result<HttpResponse, ApiError> {
    operate(req, &caller, idempotency, || async {
        Ok(engine.resume(&path).await?)
    })
    .await
}

/// Every transition and party-call attempt of a saga, oldest first.
pub async fn history(
    _caller: Authorized<roles::Operator>,
    path: web::Path<WorkflowId>,
    engine: web::Data<Engine>,
) -> Result<HttpResponse, ApiError> {
    let events = engine.history(&path).await?.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(json!({ "events": events })))
}

/// Runs an operator's action once per `Idempotency-Key`; 200 with the workflow after it.
async fn operate<F, Fut>(
    req: HttpRequest,
    caller: &Caller,
    idempotency: web::Data<Idempotency>,
    action: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<SagaView, ApiError>>,
{
    let keyed = Keyed::of(&req)?;
    keyed
        .run(&idempotency, &caller.id, b"", || async {
            Ok(workflow(&action().await?))
        })
        .await
}
