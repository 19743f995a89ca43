//! End-to-end tests of the payment-account registration saga (seed 001), of credit
//! applications (seed 004), of pairing codes (seed 002) and of accounts and tickets
//! (seed 003), through the real `onboard` binary against real Redis.

/// Runs each case (an `async fn(TestEnv)` of the calling module) on Redis and on the
/// embedded store, as the tests `redis::case` and `embedded::case`.
macro_rules! on_both_stores {
    ($($case:ident),+ $(,)?) => {
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $case() {
                    super::$case(onboard_tests::TestEnvBuilder::redis().start().await).await;
                }
            )+
        }

        mod embedded {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $case() {
                    super::$case(onboard_tests::TestEnvBuilder::embedded().start().await).await;
                }
            )+
        }
    };
}

mod chaos;
mod cluster;
mod cluster_sweeps;
mod crash;
mod credit;
mod flows;
mod hygiene;
mod idempotency;
mod ids;
mod in_process;
mod linking;
mod metrics;
mod operators;
mod pairing;
mod party_answers;
mod personal_data;
mod production;
mod prompt_owners;
mod readme;
mod redis_outage;
mod redis_restart;
mod registration;
mod rekey;
mod replicas;
mod restart;
mod retention;
mod stuck_party;
mod tickets;
mod tracing;
mod validation;
