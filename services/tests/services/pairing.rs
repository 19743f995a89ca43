//! The pairing service against the sandbox wallet on real HTTP and both store backends:
//! the claimant learns the issuer's masked name, an account the wallet does not know gets
//! no code, and five failed claims lock the claimant out.

use onboard_actors::store::Stores;
use onboard_services::{Pairing, PairingError, PairingPolicy};
use onboard_workflows::domain::{GeoPoint, PairingCode, PairingOperation, PaymentAccountId};
use serde_json::json;

use crate::backends::{with_embedded, with_redis};
use crate::real_name::Wallet;

const WALLET: &str = "sandbox-wallet";

const POLICY: PairingPolicy = PairingPolicy {
    radius_m: 500,
    ttl_secs: 120,
};

fn here() -> GeoPoint {
    GeoPoint::parse(31.2304, 121.4737).unwrap()
}

fn near() -> GeoPoint {
    GeoPoint::parse(31.2313, 121.4737).unwrap()
}

fn claimant() -> PaymentAccountId {
    PaymentAccountId::parse("pa_claimant").unwrap()
}

fn pairing(wallet: &Wallet, stores: &Stores) -> Pairing {
    Pairing::new(
        wallet.parties(),
        stores.pairing.clone(),
        stores.attempts.clone(),
        POLICY,
    )
}

async fn a_claim_reveals_the_issuers_masked_name_once(stores: Stores) {
    let wallet = Wallet::start();
    let account = wallet.open_account().await;
    let pairing = pairing(&wallet, &stores);
    let issued = pairing
        .issue(
            WALLET,
            &account,
            here(),
            PairingOperation::parse("pay").unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(issued.radius_m, 500);
    let paired = pairing
        .claim(WALLET, &claimant(), near(), issued.code)
        .await
        .unwrap();
    assert_eq!(paired.payment_account_id, account);
    assert_eq!(paired.display_name, "张*");
    assert_eq!(paired.operation.as_str(), "pay");
    assert!(matches!(
        pairing
            .claim(WALLET, &claimant(), near(), issued.code)
            .await,
        Err(PairingError::CodeNotFound)
    ));
}

async fn an_account_the_wallet_does_not_know_gets_no_code(stores: Stores) {
    let wallet = Wallet::start();
    let pairing = pairing(&wallet, &stores);
    let unknown = PaymentAccountId::parse("pa_000000000000000000000000").unwrap();
    let operation = PairingOperation::parse("pay").unwrap();
    assert!(matches!(
        pairing
            .issue(WALLET, &unknown, here(), operation.clone())
            .await,
        Err(PairingError::AccountNotFound)
    ));
    let account = wallet.open_account().await;
    reqwest::Client::new()
        .post(format!("{}/faults", wallet.base_url()))
        .json(&json!({"party": "wallet", "operation": "account_profile", "mode": "error", "times": 1}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    assert!(matches!(
        pairing.issue(WALLET, &account, here(), operation).await,
        Err(PairingError::ProfileUnavailable(_))
    ));
}

async fn five_failed_claims_lock_the_claimant_out(stores: Stores) {
    let wallet = Wallet::start();
    let account = wallet.open_account().await;
    let pairing = pairing(&wallet, &stores);
    let issued = pairing
        .issue(
            WALLET,
            &account,
            here(),
            PairingOperation::parse("add_contact").unwrap(),
        )
        .await
        .unwrap();
    let wrong = PairingCode::from_number((issued.code.number() + 1) % 1_000_000).unwrap();
    for _ in 0..5 {
        assert!(matches!(
            pairing.claim(WALLET, &claimant(), near(), wrong).await,
            Err(PairingError::CodeNotFound)
        ));
    }
    assert!(matches!(
        pairing
            .claim(WALLET, &claimant(), near(), issued.code)
            .await,
        Err(PairingError::Limited {
            retry_after_secs: 600
        })
    ));
    let other = PaymentAccountId::parse("pa_other").unwrap();
    assert!(pairing
        .claim(WALLET, &other, near(), issued.code)
        .await
        .is_ok());
}

macro_rules! on_both {
    ($($case:ident),+ $(,)?) => {
        mod embedded {
            $(
                #[actix_web::test]
                async fn $case() {
                    super::with_embedded(super::$case).await;
                }
            )+
        }

        mod redis {
            $(
                #[actix_web::test]
                async fn $case() {
                    super::with_redis(super::$case).await;
                }
            )+
        }
    };
}

on_both!(
    a_claim_reveals_the_issuers_masked_name_once,
    an_account_the_wallet_does_not_know_gets_no_code,
    five_failed_claims_lock_the_claimant_out,
);
