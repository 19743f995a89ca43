//! The step every `POST` that starts a saga ends with: the workflow created in the
//! caller's name and answered as 202 where it can be read.

use actix_web::HttpRequest;
use onboard_actors::Engine;
use onboard_services::StoredResponse;
use onboard_workflows::domain::WorkflowId;
use onboard_workflows::AnySaga;

use crate::auth::Caller;
use crate::idempotency::accepted;
use crate::problem::ApiError;
use crate::traceparent;

/// Starts `saga` as the caller's workflow `id`, in the trace the request names; 202 with
/// the workflow, located under `collection` (e.g. `/v1/onboardings`).
pub async fn start_workflow(
    engine: &Engine,
    req: &HttpRequest,
    saga: AnySaga,
    id: &WorkflowId,
    caller: &Caller,
    collection: &str,
) -> Result<StoredResponse, ApiError> {
    let (view, _) = engine
        .create(id, &caller.id, saga, traceparent::of(req))
        .await?;
    Ok(accepted(&view, collection))
}
