//! Operator endpoints: list workflows; cancel, retry, pause and resume one; read its
//! history.

use actix_web::{web, Handler, HttpRequest, HttpResponse};
use futures::future::LocalBoxFuture;
use onboard_actors::store::ListFilter;
use onboard_actors::{Engine, SagaView};
use onboard_services::Idempotency;
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::{SagaKind, SagaStatus, Signal};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{roles, Authorized};
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

/// An operator's action on one workflow. Each is the handler of its own route
/// (`POST /v1/admin/workflows/{id}/<action>`): the four differ only in what they ask of the
/// engine.
#[derive(Debug, Clone, Copy)]
pub enum Operation {
    /// Compensates a running, paused or waiting saga.
    Cancel,
    /// Resumes the compensation of a failed saga.
    Retry,
    /// Pauses a saga that has not ended: no further party call until it is resumed.
    Pause,
    /// Resumes a saga that has not ended, with a fresh attempt budget.
    Resume,
}

impl Operation {
    async fn apply(self, engine: &Engine, id: &WorkflowId) -> Result<SagaView, ApiError> {
        let view = match self {
            Operation::Cancel => engine.signal(id, Signal::Cancel).await?,
            Operation::Retry => engine.signal(id, Signal::Retry).await?,
            Operation::Pause => engine.pause(id).await?,
            Operation::Resume => engine.resume(id).await?,
        };
        Ok(view)
    }
}

/// What an operator's action extracts from its request, in this order: the caller first,
/// so that 401 and 403 come before anything else.
type OperationRequest = (
    Authorized<roles::Operator>,
    HttpRequest,
    web::Path<WorkflowId>,
    web::Data<Engine>,
    web::Data<Idempotency>,
);

/// Runs the action once per `Idempotency-Key`; 200 with the workflow after it.
impl Handler<OperationRequest> for Operation {
    type Output = Result<HttpResponse, ApiError>;
    type Future = LocalBoxFuture<'static, Self::Output>;

    fn call(&self, (caller, req, path, engine, idempotency): OperationRequest) -> Self::Future {
        let operation = *self;
        Box::pin(async move {
            Keyed::of(&req)?
                .run(&idempotency, &caller.id, b"", || async {
                    Ok(workflow(&operation.apply(&engine, &path).await?))
                })
                .await
        })
    }
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
