//! The document against the app itself: the routes are read from the app's resource map
//! and every (method, path) pair is probed, so a route added without documentation, or
//! documentation without a route, fails here.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use actix_web::dev::Service;
use actix_web::http::{Method, StatusCode};
use actix_web::{test as actix_test, web, App, HttpResponse};
use onboard_sandbox::Sandbox;
use serde_json::Value;

use crate::app;

/// What the probing app answers when no route takes a request: a status no route
/// answers, so that it cannot be mistaken for a handler's 404.
const UNROUTED: StatusCode = StatusCode::IM_A_TEAPOT;

/// The methods probed on every path.
const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// The path patterns of a resource map, read from its `Debug` form: actix-web offers no
/// other way to list what was registered. A scope (`is_prefix: true`) prefixes the
/// patterns nested below it, which are indented deeper.
fn patterns(resource_map: &str) -> BTreeSet<String> {
    assert!(
        !resource_map.contains("patterns: List("),
        "a resource with several patterns; teach this parser"
    );
    let lines: Vec<&str> = resource_map.lines().collect();
    let mut scopes: Vec<(usize, String)> = Vec::new();
    let mut found = BTreeSet::new();
    for (at, line) in lines.iter().enumerate() {
        if line.trim() != "patterns: Single(" {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let pattern = lines[at + 1].trim().trim_end_matches(',').trim_matches('"');
        let is_prefix = lines[at + 3].trim() == "is_prefix: true,";
        while scopes.last().is_some_and(|(depth, _)| *depth >= indent) {
            scopes.pop();
        }
        let full: String = scopes
            .iter()
            .map(|(_, prefix)| prefix.as_str())
            .chain([pattern])
            .collect();
        if is_prefix {
            scopes.push((indent, pattern.to_owned()));
        } else {
            found.insert(full);
        }
    }
    found
}

/// A concrete path for a pattern: every `{parameter}` filled in.
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "probe"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn documented() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(super::json()).expect("the document is JSON");
    let mut pairs = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            pairs.insert((method.to_uppercase(), path.clone()));
        }
    }
    pairs
}

#[actix_web::test]
async fn the_document_describes_exactly_the_routes_the_app_serves() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let sandbox = Sandbox::open(&dir.path().join("sandbox.redb")).expect("sandbox");
    let matched: Rc<RefCell<Option<String>>> = Rc::default();
    let resource_map: Rc<RefCell<String>> = Rc::default();
    let (seen_match, seen_map) = (matched.clone(), resource_map.clone());
    // Composed as `serve::run` composes it, without the state (a probe that reaches a
    // handler is answered by it, whatever that answer is) and with a fallback of its own.
    let service = actix_test::init_service(
        App::new()
            .wrap_fn(move |req, srv| {
                let request = req.request();
                *seen_match.borrow_mut() = request.resource_map().match_pattern(request.path());
                *seen_map.borrow_mut() = format!("{:#?}", request.resource_map());
                srv.call(req)
            })
            .configure(app::configure)
            .service(sandbox.service())
            .default_service(web::to(|| async { HttpResponse::new(UNROUTED) })),
    )
    .await;
    let probe = actix_test::TestRequest::get().uri("/").to_request();
    actix_test::call_service(&service, probe).await;
    let registered = patterns(&resource_map.borrow());
    assert!(registered.len() >= 30, "parsed only {registered:?}");

    let documented = documented();
    let documented_paths: BTreeSet<String> = documented.iter().map(|(_, p)| p.clone()).collect();
    let mut served = BTreeSet::new();
    for pattern in registered.union(&documented_paths) {
        for method in METHODS {
            let request = actix_test::TestRequest::default()
                .method(method.clone())
                .uri(&concrete(pattern))
                .to_request();
            let response = actix_test::call_service(&service, request).await;
            let routed = matched.borrow().as_deref() == Some(pattern.as_str());
            let refused = [UNROUTED, StatusCode::METHOD_NOT_ALLOWED].contains(&response.status());
            if routed && !refused {
                served.insert((method.to_string(), pattern.clone()));
            }
        }
    }
    assert_eq!(
        documented.difference(&served).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but not served"
    );
    assert_eq!(
        served.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "served but not documented"
    );
}

#[test]
fn nested_patterns_carry_their_scope() {
    let map = r#"
    patterns: Single(
        "/v1",
    ),
    is_prefix: true,
        patterns: Single(
            "/onboardings/{id}",
        ),
        is_prefix: false,
    patterns: Single(
        "/healthz",
    ),
    is_prefix: false,
"#;
    let expected: BTreeSet<String> = ["/v1/onboardings/{id}", "/healthz"]
        .map(String::from)
        .into();
    assert_eq!(patterns(map), expected);
}
