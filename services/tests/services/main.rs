//! The services against both store backends (embedded and Redis), and the real-name gate
//! against the sandbox wallet on real HTTP.

/// Runs each listed case (an `async fn` of the calling module taking the store `$part`
/// of [`onboard_actors::store::Stores`]) against both backends, as the tests
/// `embedded::case` and `redis::case` of that module.
macro_rules! on_both_stores {
    ($part:ident: $($case:ident),+ $(,)?) => {
        mod embedded {
            $(
                #[actix_web::test]
                async fn $case() {
                    crate::backends::with_embedded(|stores| super::$case(stores.$part)).await;
                }
            )+
        }

        mod redis {
            $(
                #[actix_web::test]
                async fn $case() {
                    crate::backends::with_redis(|stores| super::$case(stores.$part)).await;
                }
            )+
        }
    };
}

mod attempt_limit;
mod backends;
mod idempotency;
mod pairing;
mod real_name;
