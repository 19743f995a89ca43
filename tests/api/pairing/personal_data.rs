//! A pairing code keeps the issuer's name only masked: the clear name is neither stored in
//! Redis nor logged, through issue and claim.

use onboard_tests::TestEnvBuilder;

use super::{claim, issued_code, Place};
use crate::personal_data::find;

#[tokio::test(flavor = "multi_thread")]
async fn the_issuers_name_is_neither_stored_nor_logged_in_clear() {
    let mut env = TestEnvBuilder::redis().start().await;
    let someone = onboard_tests::person();
    let account = env.sandbox.create_wallet_user(&someone).await;
    let here = Place::centre();
    let code = issued_code(&env, &account, here).await;
    let stored = env.redis().dump();
    claim(&env, &code, "pa_claimant", here.north(100.0))
        .await
        .expect_status(200, "the claim");

    let escaped: String = someone
        .name
        .chars()
        .map(|c| format!("\\u{:04x}", c as u32))
        .collect();
    assert!(!stored.is_empty(), "nothing stored under {}", env.prefix);
    let logs = format!("{}{}", env.server.stdout_logs(), env.server.stderr_logs());
    for needle in [someone.name.as_str(), escaped.as_str()] {
        for (key, value) in &stored {
            assert!(
                !key.contains(needle) && !find(value, needle),
                "Redis key {key} holds the name in clear"
            );
        }
        assert!(
            !logs.lines().any(|line| line.contains(needle)),
            "a log line holds {needle:?}"
        );
    }
}
