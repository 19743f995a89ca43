//! The README's walk-throughs, run as a newcomer runs them: pasted into a shell, in
//! order, against the binary in its default mode (embedded store, sandbox in process) on
//! a fresh data directory. A README that no longer matches the server fails here.

use std::process::Command;

use onboard_tests::{first_missing, walkthroughs, TestEnvBuilder, Walkthrough};

/// The address the README's commands use.
const README_ADDRESS: &str = "localhost:8080";

fn readme() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md");
    std::fs::read_to_string(path).expect("read README.md")
}

/// Fails with a clear message when a tool the walk-throughs use is missing.
fn require_tool(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "the README's walk-throughs need `{tool}` (apt-get install {tool}; .ci/run installs it)"
    );
}

/// Runs one walk-through with bash, stopping at the first failing command.
fn run(walkthrough: &Walkthrough, address: &str) -> String {
    let script = walkthrough.script.replace(README_ADDRESS, address);
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!("set -euo pipefail\n{script}"))
        .output()
        .expect("run bash");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "walk-through {:?} failed ({}):\nstdout:\n{stdout}\nstderr:\n{}",
        walkthrough.heading,
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_walkthroughs_run_in_order_on_a_fresh_data_directory() {
    require_tool("curl");
    require_tool("jq");
    let walkthroughs = walkthroughs(&readme());
    let headings: Vec<&str> = walkthroughs.iter().map(|w| w.heading.as_str()).collect();
    assert!(
        headings.len() >= 3,
        "expected the seed 001, seed 004 and operator walk-throughs, found {headings:?}"
    );
    let env = TestEnvBuilder::embedded().start().await;
    let address = env.server.base_url().replace("http://", "");
    for walkthrough in &walkthroughs {
        let fragments = walkthrough.expected_fragments();
        assert!(
            !fragments.is_empty(),
            "walk-through {:?} says nothing about what to expect",
            walkthrough.heading
        );
        let stdout = tokio::task::block_in_place(|| run(walkthrough, &address));
        if let Some(missing) = first_missing(&stdout, &fragments) {
            panic!(
                "walk-through {:?} did not print {missing:?} where the README says it does; it printed:\n{stdout}",
                walkthrough.heading
            );
        }
    }
}

#[test]
fn expectations_are_checked_in_order_around_changing_values() {
    let walkthrough = Walkthrough {
        heading: "Walk-through: x".to_owned(),
        script: "curl …\n# → {\"id\":\"wf_…\",\"status\":\"waiting\"}\n".to_owned(),
    };
    let fragments = walkthrough.expected_fragments();
    assert_eq!(fragments, ["{\"id\":\"wf_", "\",\"status\":\"waiting\"}"]);
    assert_eq!(
        first_missing("{\"id\":\"wf_12\",\"status\":\"waiting\"}", &fragments),
        None
    );
    assert_eq!(
        first_missing("{\"id\":\"wf_12\",\"status\":\"completed\"}", &fragments),
        Some("\",\"status\":\"waiting\"}")
    );
    assert!(first_missing("\",\"status\":\"waiting\"} {\"id\":\"wf_", &fragments).is_some());
}

#[test]
fn only_the_walkthrough_blocks_are_taken() {
    let readme = "## Set-up\n```sh\ncargo test\n```\n## Walk-through: one\n```sh\necho a\n```\ntext\n```sh\necho b\n```\n## Walk-through: two\n```json\n{}\n```\n```sh\necho c\n```\n";
    let found = walkthroughs(readme);
    assert_eq!(
        found,
        [
            Walkthrough {
                heading: "Walk-through: one".to_owned(),
                script: "echo a\necho b\n".to_owned()
            },
            Walkthrough {
                heading: "Walk-through: two".to_owned(),
                script: "echo c\n".to_owned()
            },
        ]
    );
}
