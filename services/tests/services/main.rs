//! The services against both store backends (embedded and Redis), and the real-name gate
//! against the sandbox wallet on real HTTP.

/// Runs each listed case (an `async fn(Store)` of the calling module) against both
/// backends, as the tests `embedded::case` and `redis::case` of that module.
macro_rules! on_both_stores {
    ($($case:ident),+ $(,)?) => {
        mod embedded {
            $(
                #[actix_web::test]
                async fn $case() {
                    crate::backends::with_embedded(super::$case).await;
                }
            )+
        }

        mod redis {
            $(
                #[actix_web::test]
                async fn $case() {
                    crate::backends::with_redis(super::$case).await;
                }
            )+
        }
    };
}

mod attempt_limit;
mod backends;
mod idempotency;
mod real_name;
