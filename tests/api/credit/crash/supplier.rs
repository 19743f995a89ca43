//! The crash test's supplier: the payment app's client that sends the savings
//! card a waiting application asks for, through the orchestrator's restarts.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use onboard_tests::{is_final, Api};

use crate::chaos::Anomalies;

/// After `think`, waits until the application asks for a card and supplies it
/// (without a key: a retry after a crash is a new request, answered 409 once the
/// first one got through). Retries on transport errors, 5xx and 409 while the
/// application still waits; stops once it is final or the card was taken.
pub async fn supply(
    api: Api,
    id: String,
    card: String,
    think: Duration,
    stop: Arc<AtomicBool>,
    anomalies: Anomalies,
) {
    tokio::time::sleep(think).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        match api.try_get_credit_application(&id, 2).await {
            Ok(reply) if reply.status == 200 => {
                if is_final(&reply.body) {
                    return;
                }
                if reply.body["status"] != "waiting" {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
            Ok(reply) if reply.status < 500 => {
                anomalies.lock().unwrap().push(format!(
                    "GET /v1/credit-applications/{id} answered {} {}",
                    reply.status, reply.text
                ));
                return;
            }
            _ => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        }
        match api.try_supply_savings_card(&id, &card, None).await {
            Ok(reply) if reply.status == 200 => return,
            Ok(reply) if reply.status >= 500 || reply.status == 409 => {}
            Ok(reply) => {
                anomalies.lock().unwrap().push(format!(
                    "supplying the savings card of {id} answered {} {}",
                    reply.status, reply.text
                ));
                return;
            }
            Err(_) => {}
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
