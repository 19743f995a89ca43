//! Supplying savings cards the bank refuses: the saga keeps waiting, says why,
//! and a later valid card completes it.

use onboard_tests::{card_number, person, TestEnvBuilder};

use super::{effects, expected_effects, start_waiting};

#[tokio::test(flavor = "multi_thread")]
async fn refused_cards_keep_the_application_waiting_until_a_valid_one() {
    let env = TestEnvBuilder::redis().start().await;
    let flow = start_waiting(&env, None).await;

    // 1. A card the bank never issued as a savings card.
    let unknown = card_number();
    env.api
        .supply_savings_card(&flow.id, &unknown)
        .await
        .expect_problem(422, "not_savings_card", "a card that is no savings card");
    let waiting = env.api.credit_application(&flow.id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    assert_eq!(
        waiting["waiting_for"]["kind"], "savings_account_binding",
        "{waiting}"
    );
    assert_eq!(
        waiting["waiting_for"]["last_rejection"], "not_savings_card",
        "{waiting}"
    );

    // 2. A savings card of somebody else.
    let stranger = person();
    let strangers_card = card_number();
    env.sandbox
        .register_savings_card(&strangers_card, &stranger.id_number)
        .await;
    env.api
        .supply_savings_card(&flow.id, &strangers_card)
        .await
        .expect_problem(422, "card_holder_mismatch", "another person's savings card");
    let waiting = env.api.credit_application(&flow.id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    assert_eq!(
        waiting["waiting_for"]["last_rejection"], "card_holder_mismatch",
        "{waiting}"
    );

    // 3. Not a card number at all: refused before the saga sees it.
    let wrong_luhn = {
        let last = flow.card.chars().last().unwrap().to_digit(10).unwrap();
        format!("{}{}", &flow.card[..flow.card.len() - 1], (last + 1) % 10)
    };
    let reply = env.api.supply_savings_card(&flow.id, &wrong_luhn).await;
    reply.expect_problem(400, "validation_failed", "a card number failing Luhn");
    assert!(
        reply.text.contains("card_number"),
        "the problem does not name card_number: {}",
        reply.text
    );
    assert!(env.sandbox.ledger().await.effects.is_empty());

    // 4. The person's own savings card.
    let reply = env.api.supply_savings_card(&flow.id, &flow.card).await;
    reply.expect_status(200, "the person's savings card");
    let done = env.api.wait_credit_final(&flow.id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["result"]["created"], true, "{done}");

    // Only the third card attempt was bound (the refused ones left no effect).
    let ledger = env.sandbox.ledger().await;
    assert_eq!(
        effects(&ledger, &flow.id),
        expected_effects(
            &flow.id,
            &[
                ("bind_savings_card", "bind_savings_card_3"),
                ("create_credit_account", "create_credit_account"),
            ]
        ),
    );
    assert_eq!(
        ledger.effects.len(),
        2,
        "effects outside the workflow: {:?}",
        ledger.effects
    );
    let held = env
        .sandbox
        .wallet_person(&flow.applicant.person.id_number)
        .await;
    let savings: Vec<_> = held["accounts"][0]["bindings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["kind"] == "savings")
        .collect();
    assert_eq!(savings.len(), 1, "{held}");
    assert_eq!(
        savings[0]["card_last4"],
        &flow.card[flow.card.len() - 4..],
        "{held}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn after_five_refused_cards_the_application_takes_no_more() {
    let env = TestEnvBuilder::redis().start().await;
    let flow = start_waiting(&env, None).await;

    for attempt in 1..=5 {
        env.api
            .supply_savings_card(&flow.id, &card_number())
            .await
            .expect_problem(422, "not_savings_card", &format!("refused card {attempt}"));
    }
    let reply = env.api.supply_savings_card(&flow.id, &flow.card).await;
    reply.expect_problem(429, "rate_limited", "a sixth card, even the right one");
    let retry_after: u64 = reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(retry_after > 0);
    let waiting = env.api.credit_application(&flow.id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");
    assert!(env.sandbox.ledger().await.effects.is_empty());
}
