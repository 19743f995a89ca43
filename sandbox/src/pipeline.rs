//! The steps every sandbox endpoint goes through, in one place: the replay of an
//! answered call, faults, the change under the state lock, the wait for the disk,
//! and the (possibly delayed) answer.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::faults::AnswerFault;
use crate::idempotency::{IdempotencyKey, IdempotencyRecord, Reply};
use crate::operation::Operation;
use crate::persistence::Write;
use crate::sandbox::Sandbox;
use crate::state::State;

/// The outcome of an effect operation that succeeded.
pub(crate) struct Applied {
    body: Value,
    /// The id of what was created or changed; `None` when nothing changed
    /// (closing a closed account), which leaves no ledger entry.
    subject: Option<String>,
    writes: Vec<Write>,
}

impl Applied {
    pub(crate) fn changed(body: Value, subject: String, write: Write) -> Applied {
        Applied {
            body,
            subject: Some(subject),
            writes: vec![write],
        }
    }

    pub(crate) fn unchanged(body: Value) -> Applied {
        Applied {
            body,
            subject: None,
            writes: Vec::new(),
        }
    }
}

/// A party operation with an effect: requires an `Idempotency-Key`, replays
/// the first answer for the same key and body, records the effect in the
/// ledger. `apply` must validate before it changes anything.
///
/// Replays come before injected faults, as with a real provider: a retry of an
/// applied effect gets its answer, so a fault (a decline above all) only ever
/// hits a call that has done nothing yet.
pub(crate) async fn effect<R: Serialize>(
    sandbox: &Sandbox,
    http: &HttpRequest,
    operation: Operation,
    request: &R,
    apply: impl FnOnce(&mut State) -> Result<Applied, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let call = Call::of(http, operation, request)?;
    if let Some(replayed) = call.replay(sandbox).await? {
        return Ok(replayed);
    }
    let fault = sandbox.faults().check(operation)?;
    let outcome = call.apply_once(sandbox, operation, apply).await;
    answer(fault, outcome).await
}

/// One effect call: its idempotency key, the key's scope and the request as stored.
struct Call {
    key: IdempotencyKey,
    scope: String,
    request: Value,
}

impl Call {
    fn of<R: Serialize>(
        http: &HttpRequest,
        operation: Operation,
        request: &R,
    ) -> Result<Call, ApiError> {
        let key = IdempotencyKey::from_request(http)?;
        let request = serde_json::to_value(request)
            .map_err(|error| ApiError::Validation(error.to_string()))?;
        let scope = key.scope(operation);
        Ok(Call {
            key,
            scope,
            request,
        })
    }

    /// The stored answer when this key already applied this request.
    async fn replay(&self, sandbox: &Sandbox) -> Result<Option<HttpResponse>, ApiError> {
        let (reply, seq) = {
            let shared = sandbox.lock();
            match shared.state.idempotency.get(&self.scope) {
                Some(record) if record.request == self.request => {
                    (record.reply.clone(), shared.journal.last_seq())
                }
                _ => return Ok(None),
            }
        };
        sandbox.commits().wait(seq).await?;
        Ok(Some(reply.to_response()))
    }

    /// Applies the call, unless a concurrent call with the same key got there first.
    async fn apply_once(
        self,
        sandbox: &Sandbox,
        operation: Operation,
        apply: impl FnOnce(&mut State) -> Result<Applied, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        let Call {
            key,
            scope,
            request,
        } = self;
        let (reply, seq) = {
            let mut shared = sandbox.lock();
            let shared = &mut *shared;
            let state = &mut shared.state;
            match state.idempotency.get(&scope) {
                Some(record) if record.request == request => {
                    (record.reply.clone(), shared.journal.last_seq())
                }
                Some(_) => return Err(ApiError::KeyReused),
                None => {
                    let applied = apply(state)?;
                    let mut writes = applied.writes;
                    if let Some(subject) = applied.subject {
                        writes.push(state.ledger.record(operation, key.as_str(), subject));
                    }
                    let record = IdempotencyRecord {
                        scope,
                        request,
                        reply: Reply {
                            status: 200,
                            body: applied.body.to_string(),
                        },
                    };
                    writes.push(Write::idempotency(&record));
                    let reply = record.reply.clone();
                    state.idempotency.insert(record.scope.clone(), record);
                    (reply, shared.journal.append(writes))
                }
            }
        };
        sandbox.commits().wait(seq).await?;
        Ok(reply.to_response())
    }
}

/// A party operation without an effect: no key, no ledger, but faults apply.
pub(crate) async fn query(
    sandbox: &Sandbox,
    operation: Operation,
    answer: impl FnOnce(&State) -> Result<Value, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let fault = sandbox.faults().check(operation)?;
    let outcome = read(sandbox, answer)
        .await
        .map(|body| HttpResponse::Ok().json(body));
    self::answer(fault, outcome).await
}

/// A fixture: changes state outside the ledger and answers 201.
pub(crate) async fn fixture(
    sandbox: &Sandbox,
    apply: impl FnOnce(&mut State) -> Result<(Value, Vec<Write>), ApiError>,
) -> Result<HttpResponse, ApiError> {
    let (body, seq) = {
        let mut shared = sandbox.lock();
        let (body, writes) = apply(&mut shared.state)?;
        (body, shared.journal.append(writes))
    };
    sandbox.commits().wait(seq).await?;
    Ok(HttpResponse::Created().json(body))
}

/// An inspection endpoint: shows state, never changes it.
pub(crate) async fn inspect(
    sandbox: &Sandbox,
    view: impl FnOnce(&State) -> Value,
) -> Result<HttpResponse, ApiError> {
    let body = read(sandbox, |state| Ok(view(state))).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Reads under the lock, then waits until what was seen is on disk, so that
/// no answer reflects a change a crash could still lose.
async fn read(
    sandbox: &Sandbox,
    answer: impl FnOnce(&State) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let (body, seq) = {
        let shared = sandbox.lock();
        (answer(&shared.state)?, shared.journal.last_seq())
    };
    sandbox.commits().wait(seq).await?;
    Ok(body)
}

/// The answer of a call that was let through, as the fault it drew makes it: delayed, or
/// a successful answer replaced by `request_in_progress` or by a body that is not JSON.
/// A refusal stays a refusal: the call applied nothing.
async fn answer(
    fault: Option<AnswerFault>,
    outcome: Result<HttpResponse, ApiError>,
) -> Result<HttpResponse, ApiError> {
    match fault {
        None => outcome,
        Some(AnswerFault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            outcome
        }
        Some(AnswerFault::InProgress) => outcome.and(Err(ApiError::InProgress)),
        Some(AnswerFault::Garbled) => outcome.map(|_| {
            HttpResponse::Ok()
                .content_type("text/html")
                .body(GARBLED_BODY)
        }),
    }
}

/// What a `garbled` fault answers: a proxy's page instead of the operation's JSON.
const GARBLED_BODY: &str = "<html><body>502 upstream answered</body></html>";
