//! Credit applications keep personal data out of Redis and the logs: the id
//! number, the name and the card numbers never appear in clear.

use onboard_tests::{card_number, TestEnvBuilder};

use super::{applicant, error_code, start_waiting};
use crate::personal_data::{find, needles};

#[tokio::test(flavor = "multi_thread")]
async fn credit_applications_neither_store_nor_log_personal_data_in_clear() {
    let mut env = TestEnvBuilder::redis().start().await;
    // (person, the card numbers their flow used)
    let mut exposed = Vec::new();

    // Waits, a refused card, then a savings card: completed.
    let supplied = start_waiting(&env, None).await;
    let refused = card_number();
    env.api
        .supply_savings_card(&supplied.id, &refused)
        .await
        .expect_problem(422, "not_savings_card", "an unknown card");
    env.api
        .supply_savings_card(&supplied.id, &supplied.card)
        .await
        .expect_status(200, "the savings card");
    let done = env.api.wait_credit_final(&supplied.id).await;
    assert_eq!(done["status"], "completed", "{done}");
    exposed.push((
        supplied.applicant.person.clone(),
        vec![refused, supplied.card.clone()],
    ));

    // Binds a supplied card, the bank refuses the credit account: compensated.
    let declined = start_waiting(&env, None).await;
    env.sandbox
        .inject_fault("bank", "create_credit_account", "decline", 1, None)
        .await;
    env.api
        .supply_savings_card(&declined.id, &declined.card)
        .await
        .expect_status(200, "a card whose credit account is refused");
    let done = env.api.wait_credit_final(&declined.id).await;
    assert_eq!(error_code(&done), Some("credit_creation_refused"), "{done}");
    exposed.push((
        declined.applicant.person.clone(),
        vec![declined.card.clone()],
    ));

    // A pre-existing savings binding, the bank refuses: compensated.
    let prebound_card = card_number();
    let prebound = applicant(&env, None, Some(&prebound_card)).await;
    env.sandbox
        .inject_fault("bank", "create_credit_account", "decline", 1, None)
        .await;
    let id = env.api.apply_for_credit(&prebound.body()).await;
    let done = env.api.wait_credit_final(&id).await;
    assert_eq!(error_code(&done), Some("credit_creation_refused"), "{done}");
    exposed.push((prebound.person.clone(), vec![prebound_card]));

    let stored = env.redis().dump();
    assert!(
        stored.iter().any(|(key, _)| key.contains(":saga:")),
        "no saga stored under prefix {}",
        env.prefix
    );
    let logs = format!("{}{}", env.server.stdout_logs(), env.server.stderr_logs());
    assert!(!logs.is_empty(), "the server logged nothing");
    let mut leaks = Vec::new();
    for (person, cards) in &exposed {
        for card in cards {
            for (what, needle) in needles(person, card) {
                for (key, value) in &stored {
                    if key.contains(&needle) || find(value, &needle) {
                        leaks.push(format!("Redis key {key} holds the {what} in clear"));
                    }
                }
                for line in logs.lines().filter(|line| line.contains(&needle)) {
                    leaks.push(format!("a log line holds the {what} in clear: {line}"));
                }
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    assert!(
        leaks.is_empty(),
        "personal data leaked:\n{}",
        leaks.join("\n")
    );
}
