//! Claims through the binary: in range once, out of range, used, expired, the issuer's
//! own, the lockout, and a range across a cell boundary found from both sides.

use onboard_tests::{TestEnv, TestEnvBuilder};

use super::{claim, issued_code, wallet_user, Place};

/// A claimant the wallet need not know: the claim reveals nothing about it.
const CLAIMANT: &str = "pa_claimant";

fn another(code: &str) -> String {
    let number: u32 = code.parse().expect("digits");
    format!("{:06}", (number + 1) % 1_000_000)
}

async fn a_claim_at_100_m_gets_the_masked_account_once_and_at_1500_m_nothing(env: TestEnv) {
    let (name, account) = wallet_user(&env).await;
    let here = Place::centre();
    let code = issued_code(&env, &account, here).await;

    claim(&env, &code, CLAIMANT, here.north(1_500.0))
        .await
        .expect_problem(404, "code_not_found", "a claim 1,500 m away");
    let reply = claim(&env, &code, CLAIMANT, here.east(100.0)).await;
    reply.expect_status(200, "a claim 100 m away");
    let masked: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c } else { '*' })
        .collect();
    assert_eq!(
        reply.body,
        serde_json::json!({
            "payment_account_id": account,
            "display_name": masked,
            "operation": "pay",
        })
    );
    assert!(
        !reply.text.contains(&name),
        "the name leaks: {}",
        reply.text
    );
    claim(&env, &code, CLAIMANT, here.east(100.0))
        .await
        .expect_problem(404, "code_not_found", "a used code");
}

async fn the_issuers_own_code_and_a_replaced_code_are_not_found(env: TestEnv) {
    let (_, account) = wallet_user(&env).await;
    let here = Place::centre();
    let first = issued_code(&env, &account, here).await;
    claim(&env, &first, &account, here).await.expect_problem(
        404,
        "code_not_found",
        "the issuer's own code",
    );
    let second = issued_code(&env, &account, here.north(3_000.0)).await;
    if first != second {
        claim(&env, &first, CLAIMANT, here).await.expect_problem(
            404,
            "code_not_found",
            "a replaced code",
        );
    }
    claim(&env, &second, CLAIMANT, here.north(3_000.0))
        .await
        .expect_status(200, "the account's live code");
}

async fn five_failed_claims_lock_the_claimant_out(env: TestEnv) {
    let (_, account) = wallet_user(&env).await;
    let here = Place::centre();
    let code = issued_code(&env, &account, here).await;
    for attempt in 1..=5 {
        claim(&env, &another(&code), CLAIMANT, here)
            .await
            .expect_problem(404, "code_not_found", &format!("failed claim {attempt}"));
    }
    let locked = claim(&env, &code, CLAIMANT, here).await;
    locked.expect_problem(429, "rate_limited", "the sixth claim");
    let retry_after: u64 = locked
        .header("retry-after")
        .and_then(|value| value.parse().ok())
        .expect("Retry-After");
    assert!((1..=600).contains(&retry_after), "{retry_after}");
    // The code was not consumed by the refused claim: another claimant gets it.
    claim(&env, &code, "pa_someone_else", here)
        .await
        .expect_status(200, "another claimant");
}

async fn a_range_across_a_cell_boundary_is_found_from_both_sides(env: TestEnv) {
    // 121.45° E is a boundary of the store's grid: each code's range spans both cells.
    let west = Place {
        lat: 31.2304,
        lon: 121.4499,
    };
    let east = Place {
        lat: 31.2304,
        lon: 121.4501,
    };
    let (_, west_account) = wallet_user(&env).await;
    let (_, east_account) = wallet_user(&env).await;
    let west_code = issued_code(&env, &west_account, west).await;
    let east_code = issued_code(&env, &east_account, east).await;
    assert_ne!(west_code, east_code, "two ranges 20 m apart overlap");
    claim(&env, &west_code, CLAIMANT, west.east(300.0))
        .await
        .expect_status(200, "the western code from the eastern cell");
    claim(&env, &east_code, CLAIMANT, east.east(-300.0))
        .await
        .expect_status(200, "the eastern code from the western cell");
}

async fn an_expired_code_is_not_found(env: TestEnv) {
    let (_, account) = wallet_user(&env).await;
    let here = Place::centre();
    let code = issued_code(&env, &account, here).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    claim(&env, &code, CLAIMANT, here).await.expect_problem(
        404,
        "code_not_found",
        "an expired code",
    );
}

on_both_stores!(
    a_claim_at_100_m_gets_the_masked_account_once_and_at_1500_m_nothing,
    the_issuers_own_code_and_a_replaced_code_are_not_found,
    five_failed_claims_lock_the_claimant_out,
    a_range_across_a_cell_boundary_is_found_from_both_sides,
);

#[tokio::test(flavor = "multi_thread")]
async fn redis_an_expired_code_is_not_found() {
    let env = TestEnvBuilder::redis()
        .env("ONBOARD_PAIRING__TTL_SECS", 1)
        .start()
        .await;
    an_expired_code_is_not_found(env).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn embedded_an_expired_code_is_not_found() {
    let env = TestEnvBuilder::embedded()
        .env("ONBOARD_PAIRING__TTL_SECS", 1)
        .start()
        .await;
    an_expired_code_is_not_found(env).await;
}
