//! Party calls over real HTTP (the in-process sandbox, a separate `onboard sandbox`, or a
//! real bank and wallet speaking the same protocol).

use std::time::Duration;

use onboard_workflows::{CallOutcome, PartyCall};
use reqwest::StatusCode;

use super::{answer, wire};
use crate::traces;

/// A call that got no definite answer; retrying with the same idempotency key is safe.
#[derive(Debug, thiserror::Error)]
pub enum PartyError {
    /// No answer in time, or the connection failed: transient.
    #[error("party unreachable: {0}")]
    Unreachable(String),
    /// The party answered 5xx, 408, 409 `request_in_progress`, 425 or 429: transient.
    #[error("party answered {0}")]
    Unavailable(u16),
    /// The party answered 429 with `Retry-After`: transient, and the whole party is given
    /// that long before the next call.
    #[error("party answered 429; retry after {} s", retry_after.as_secs())]
    Throttled {
        /// How long the party asked callers to wait.
        retry_after: Duration,
    },
    /// An answer that fits no documented one (another 4xx, a misrouted gateway's 401 or
    /// 404, or a success whose body cannot be read). The call may have been applied, so
    /// it is retried like a transient failure, never taken for a refusal.
    #[error("party answered {status} unexpectedly: {reason}")]
    Unexpected {
        /// The HTTP status.
        status: u16,
        /// What did not fit.
        reason: &'static str,
    },
}

impl PartyError {
    /// Whether the answer fits nothing the party documents (worth an operator's look),
    /// rather than a failure that is expected to pass.
    pub fn is_unexpected(&self) -> bool {
        matches!(self, PartyError::Unexpected { .. })
    }

    /// The attempt's outcome as API.md's history names it: `unexpected` or `transient`.
    pub fn outcome(&self) -> &'static str {
        if self.is_unexpected() {
            "unexpected"
        } else {
            "transient"
        }
    }

    /// A stable slug for the workflow's `retrying.last_error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            PartyError::Unreachable(_) => "party_unreachable",
            PartyError::Unavailable(_) | PartyError::Throttled { .. } => "party_unavailable",
            PartyError::Unexpected { .. } => "party_unexpected",
        }
    }
}

/// The HTTP client of the bank and wallet.
#[derive(Debug, Clone)]
pub struct HttpParties {
    client: reqwest::Client,
    base_url: String,
}

impl HttpParties {
    /// A client of the parties under `base_url` (e.g. `http://127.0.0.1:8080/sandbox`),
    /// each attempt bounded by `timeout`.
    pub fn new(base_url: &str, timeout: Duration) -> Result<HttpParties, reqwest::Error> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .pool_max_idle_per_host(256)
            .tcp_nodelay(true)
            .build()?;
        Ok(HttpParties {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// One attempt of `call` under `idempotency_key`: the party's reply, a definite
    /// refusal, or a [`PartyError`] to retry (see [`answer::classify`]).
    pub async fn call(
        &self,
        call: &PartyCall,
        idempotency_key: &str,
    ) -> Result<CallOutcome, PartyError> {
        let (path, body) = wire::request(call);
        let answer = self.post(&path, Some(idempotency_key), &body).await?;
        match answer::classify(call, answer.status, &answer.body) {
            Err(PartyError::Unavailable(429)) => Err(match answer.retry_after {
                Some(retry_after) => PartyError::Throttled { retry_after },
                None => PartyError::Unavailable(429),
            }),
            classified => classified,
        }
    }
}

impl HttpParties {
    /// One POST of a JSON body; the answer's status, `Retry-After` and body. While spans
    /// are exported, the request carries the current span's `traceparent` (a saga's call
    /// attempt), so that the party's own spans join the saga's trace.
    pub(super) async fn post(
        &self,
        path: &str,
        idempotency_key: Option<&str>,
        body: &serde_json::Value,
    ) -> Result<Answer, PartyError> {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base_url))
            .json(body);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        if traces::exporting() {
            if let Some(traceparent) = traces::traceparent(&tracing::Span::current()) {
                request = request.header(traces::TRACEPARENT, traceparent);
            }
        }
        let response = request
            .send()
            .await
            .map_err(|e| PartyError::Unreachable(without_url(&e)))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok()?.trim().parse().ok())
            .map(Duration::from_secs);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| PartyError::Unreachable(without_url(&e)))?;
        Ok(Answer {
            status,
            retry_after,
            body: bytes.to_vec(),
        })
    }
}

/// A party's HTTP answer, as far as the classification needs it.
pub(super) struct Answer {
    /// The status.
    pub status: StatusCode,
    /// `Retry-After` in seconds, when the party sent one.
    pub retry_after: Option<Duration>,
    /// The body.
    pub body: Vec<u8>,
}

/// The error's text without its URL: request URLs carry no personal data today, but the
/// error text is logged, so it is kept minimal on principle.
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else {
        "transport"
    };
    kind.to_owned()
}
