//! The composition root started in process, as a test or an embedding program starts it:
//! `Application::build` on port 0, then `run_until_stopped`, with the port read back from
//! the application rather than probed and reused.

use onboard_api::startup::Application;
use onboard_config::Settings;
use onboard_tests::{card_number, onboarding_body, person, Api};

#[actix_rt::test]
async fn the_application_runs_in_process_on_a_port_it_chose() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = Settings::load(None).expect("default settings");
    settings.server.listen = "127.0.0.1:0".to_owned();
    settings.store.data_dir = dir.path().join("data");
    let application = Application::build(settings).expect("build");
    let port = application.port();
    assert_ne!(port, 0);
    let running = actix_rt::spawn(application.run_until_stopped());

    let base = format!("http://127.0.0.1:{port}");
    wait_until_ready(&base).await;

    let api = Api::new(base);
    let id = api
        .start_onboarding(&onboarding_body(&person(), &card_number()))
        .await;
    let waiting = api.wait_for_prompt(&id).await;
    let prompt_id = waiting["waiting_for"]["prompt_id"]
        .as_str()
        .expect("prompt id");
    api.decide(prompt_id, "approve")
        .await
        .expect_status(200, "approve");
    let done = api.wait_final(&id).await;
    assert_eq!(done["status"], "completed", "{done}");
    running.abort();
}

/// Polls `/readyz` until the store is open and the app has taken the socket over.
async fn wait_until_ready(base: &str) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    for _ in 0..200 {
        let ready = client.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|reply| reply.status() == reqwest::StatusCode::OK) {
            return;
        }
        actix_rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{base} not ready after 10 s");
}
