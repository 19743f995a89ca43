//! The real-name gate in front of a credit application: partial info that does
//! not match the wallet's record creates nothing, and repeated mismatches for one
//! account are rate-limited.

use onboard_tests::{
    credit_application_body, id_number, id_suffix, person, Person, TestEnvBuilder,
};

use super::{applicant, assert_no_effects};
use crate::flows::str_at;

#[tokio::test(flavor = "multi_thread")]
async fn mismatches_create_nothing_and_the_sixth_attempt_is_rate_limited() {
    let mut env = TestEnvBuilder::redis().start().await;
    let target = applicant(&env, None, None).await;
    let Person {
        name, id_number, ..
    } = target.person.clone();
    let account = target.payment_account_id.clone();
    let other_suffix = |len: usize| -> String {
        // Same length, last character changed: never the record's suffix.
        let suffix = &id_number[id_number.len() - len..];
        let last = suffix.chars().last().unwrap();
        let changed = if last == '7' { '8' } else { '7' };
        format!("{}{changed}", &suffix[..len - 1])
    };
    let mismatches = [
        ("wrong 4-character suffix", name.clone(), other_suffix(4)),
        ("wrong 6-character suffix", name.clone(), other_suffix(6)),
        (
            "the id number's first characters, not its last",
            name.clone(),
            // (in the rare case they are also its last ones, a wrong suffix instead)
            Some(id_number[..5].to_owned())
                .filter(|head| !id_number.ends_with(head.as_str()))
                .unwrap_or_else(|| other_suffix(5)),
        ),
        (
            "wrong name",
            format!("{name}伟"),
            id_suffix(&target.person, 6),
        ),
        (
            "another person's name",
            "王小明".to_owned(),
            id_suffix(&target.person, 4),
        ),
    ];
    for (n, (what, typed_name, suffix)) in mismatches.iter().enumerate() {
        let reply = env
            .api
            .apply_for_credit_reply(&credit_application_body(&account, typed_name, suffix))
            .await;
        reply.expect_problem(
            422,
            "real_name_mismatch",
            &format!("attempt {}: {what}", n + 1),
        );
        for secret in [&name, &id_number] {
            assert!(
                !reply.text.contains(secret.as_str()),
                "attempt {}: the refusal reveals the record: {}",
                n + 1,
                reply.text
            );
        }
    }
    let unknown = env
        .api
        .apply_for_credit_reply(&credit_application_body(
            "pa_unknown_account",
            &name,
            &id_suffix(&target.person, 6),
        ))
        .await;
    unknown.expect_problem(422, "real_name_mismatch", "an unknown payment account");

    // The sixth attempt is refused whatever it carries, the right info included.
    for (what, body) in [
        ("the right info", target.body()),
        (
            "a seventh, wrong attempt",
            credit_application_body(&account, &name, &other_suffix(4)),
        ),
    ] {
        let reply = env.api.apply_for_credit_reply(&body).await;
        reply.expect_problem(429, "rate_limited", what);
        let retry_after = reply.header("retry-after").unwrap_or_default();
        assert!(
            retry_after.parse::<u64>().is_ok_and(|secs| secs > 0),
            "{what}: Retry-After {retry_after:?} is not a positive number of seconds"
        );
    }

    let sagas = env.redis().keys_containing(":saga:");
    assert!(
        sagas.is_empty(),
        "refused applications stored sagas: {sagas:?}"
    );
    assert_no_effects(&env, "refused applications caused effects").await;

    // The limit is per account: another person's application goes through.
    let other = applicant(&env, None, None).await;
    let id = env.api.apply_for_credit(&other.body()).await;
    assert!(id.starts_with("ca_"), "{id}");
}

#[tokio::test(flavor = "multi_thread")]
async fn matching_ignores_ascii_case_surrounding_and_repeated_whitespace() {
    let env = TestEnvBuilder::redis().start().await;
    let with_x = (0..500)
        .map(|_| id_number())
        .find(|id| id.ends_with('X'))
        .expect("an id number with check character X");
    let person = Person {
        name: "Mei Ling  Chen".into(),
        id_number: with_x,
        ..person()
    };
    let account = env
        .sandbox
        .create_wallet_user_with(&person, None, None)
        .await;
    let suffix = id_suffix(&person, 5).to_lowercase();
    let reply = env
        .api
        .apply_for_credit_reply(&credit_application_body(
            &account,
            "  mei LING   chen ",
            &suffix,
        ))
        .await;
    reply.expect_status(202, "name in other case and spacing, lowercase x");
    let id = str_at(&reply.body, &["id"]);
    let waiting = env.api.wait_credit_waiting(&id).await;
    assert_eq!(waiting["status"], "waiting", "{waiting}");

    let chinese = applicant(&env, None, None).await;
    let body = credit_application_body(
        &chinese.payment_account_id,
        &format!(" {} ", chinese.person.name),
        &id_suffix(&chinese.person, 4),
    );
    env.api.apply_for_credit_reply(&body).await.expect_status(
        202,
        "a Chinese name with surrounding spaces, 4-character suffix",
    );
}
