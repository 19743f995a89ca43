//! Personal data never appears in clear in Redis or in the logs.

use onboard_tests::{card_number, onboarding_body, person, Person, TestEnvBuilder};

use crate::flows::start_until_prompt;

/// The clear forms of a person's data that must not be stored or logged.
pub(crate) fn needles(person: &Person, card: &str) -> Vec<(String, String)> {
    let escaped_name: String = person
        .name
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    vec![
        ("id_number".into(), person.id_number.clone()),
        ("phone".into(), person.phone.clone()),
        (
            "phone without +".into(),
            person.phone.trim_start_matches('+').to_owned(),
        ),
        ("card_number".into(), card.to_owned()),
        ("name".into(), person.name.clone()),
        ("name (JSON-escaped)".into(), escaped_name.clone()),
        (
            "name (JSON-escaped, upper)".into(),
            escaped_name.to_uppercase().replace("\\U", "\\u"),
        ),
    ]
}

pub(crate) fn find(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_is_neither_stored_nor_logged_in_clear() {
    let mut env = TestEnvBuilder::redis().start().await;
    let mut people: Vec<(Person, String)> = Vec::new();

    // Approved: registered, bound, completed.
    let approved = start_until_prompt(&env).await;
    env.api
        .decide(&approved.prompt_id, "approve")
        .await
        .expect_status(200, "approve");
    let done = env.api.wait_final(&approved.id).await;
    assert_eq!(done["status"], "completed", "{done}");
    people.push((approved.person.clone(), approved.card.clone()));

    // Rejected: compensated.
    let rejected = start_until_prompt(&env).await;
    env.api
        .decide(&rejected.prompt_id, "reject")
        .await
        .expect_status(200, "reject");
    let done = env.api.wait_final(&rejected.id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    people.push((rejected.person.clone(), rejected.card.clone()));

    // Declined card: compensated before binding.
    let declined = person();
    let id = env
        .api
        .start_onboarding(&onboarding_body(&declined, "4000000000000002"))
        .await;
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "compensated", "{done}");
    people.push((declined, "4000000000000002".into()));

    // Existing account: completed without a prompt.
    let existing = person();
    let card = card_number();
    env.sandbox.create_wallet_user(&existing).await;
    let id = env
        .api
        .start_onboarding(&onboarding_body(&existing, &card))
        .await;
    let done = env.api.wait_final(&id).await;
    assert_eq!(done["status"], "completed", "{done}");
    people.push((existing, card));

    let stored = env.redis().dump();
    assert!(
        !stored.is_empty(),
        "nothing stored under prefix {}",
        env.prefix
    );
    let logs = format!("{}{}", env.server.stdout_logs(), env.server.stderr_logs());
    assert!(!logs.is_empty(), "the server logged nothing");
    let stdout = env.server.stdout_logs();
    let not_json: Vec<&str> = stdout
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter(|line| {
            !serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| v.is_object())
        })
        .take(5)
        .collect();
    assert!(
        not_json.is_empty(),
        "stdout lines that are not JSON objects: {not_json:#?}"
    );
    let mut leaks = Vec::new();
    for (person, card) in &people {
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
    assert!(
        leaks.is_empty(),
        "personal data leaked:\n{}",
        leaks.join("\n")
    );
}
