use std::collections::BTreeSet;

use actix_web::ResponseError;
use chrono::{TimeZone, Utc};
use onboard_actors::store::CallError;
use onboard_actors::{HistoryEvent, JournalEntry, OpenPrompt, RetryingView, SagaView};
use onboard_workflows::domain::{
    BindingId, CreditAccountId, Money, PaymentAccountId, PromptId, WorkflowId,
};
use onboard_workflows::payment_account_registration::RegistrationResult;
use onboard_workflows::virtual_credit_account::CreditApplicationResult;
use onboard_workflows::{SagaError, SagaKind, SagaStatus, StepRecord, StepStatus, WaitingFor};
use serde_json::Value;

use super::errors::{ErrorCode, Problem};
use super::schemas;
use super::*;
use crate::problem::ApiError;

fn doc() -> Value {
    serde_json::from_str(json()).expect("the document is valid JSON")
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            all.push((method.clone(), path.clone(), operation));
        }
    }
    all
}

/// The operations an [`OperationSpec`] describes: all but the sandbox's.
fn api_operations(doc: &Value) -> Vec<(String, String, &Value)> {
    operations(doc)
        .into_iter()
        .filter(|(_, path, _)| !path.starts_with("/sandbox/"))
        .collect()
}

#[test]
fn the_document_is_openapi_3_1_with_servers() {
    let doc = doc();
    let version = doc["openapi"].as_str().expect("openapi is a string");
    assert!(version.starts_with("3.1"), "openapi = {version}");
    assert_eq!(doc["servers"][0]["url"], "/");
    assert_eq!(doc["servers"][1]["url"], "http://127.0.0.1:8080");
}

#[test]
fn the_document_contains_no_secrets() {
    let json = json();
    assert!(!json.contains("_test_key"));
    // No value of a key setting of the sandbox configuration (caller key hashes, data key).
    let config = include_str!("../../../config/default.toml");
    for line in config.lines() {
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        if name.trim().ends_with("key") || name.trim().ends_with("key_sha256") {
            let value = value.trim().trim_matches('"');
            assert!(
                value.len() < 8 || !json.contains(value),
                "{} leaks",
                name.trim()
            );
        }
    }
}

#[test]
fn every_operation_has_a_spec_and_its_role_security_and_errors() {
    let doc = doc();
    let ops = api_operations(&doc);
    assert_eq!(ops.len(), OPERATIONS.len());
    for (method, path, operation) in ops {
        let id = operation["operationId"].as_str().expect("operationId");
        let spec = OPERATIONS
            .iter()
            .find(|spec| spec.id == id)
            .unwrap_or_else(|| panic!("{method} {path}: no OperationSpec {id}"));
        let responses = operation["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|status| status.starts_with('2')),
            "{id}: no success response"
        );
        match spec.role {
            Some(role) => {
                assert_eq!(operation["security"][0][BEARER], serde_json::json!([]));
                assert_eq!(operation["x-onboard-role"], role_name(role));
                let description = operation["description"].as_str().unwrap_or_default();
                assert!(description.contains(&format!("`{}`", role_name(role))));
                for status in ["400", "401", "403", "429", "503"] {
                    assert!(responses.contains_key(status), "{id}: no {status}");
                }
                assert!(responses["429"]["headers"]["Retry-After"].is_object());
                assert!(responses["503"]["headers"]["Retry-After"].is_object());
                assert!(responses["401"]["headers"]["WWW-Authenticate"].is_object());
            }
            None => assert!(operation.get("security").is_none(), "{id}"),
        }
        let has_body = operation.get("requestBody").is_some();
        assert_eq!(has_body, spec.json_body, "{id}: requestBody");
        for code in JSON_BODY {
            assert_eq!(
                spec.codes().contains(code),
                has_body,
                "{id}: {}",
                code.as_str()
            );
        }
        for code in spec.codes() {
            let response = &responses[&code.status().to_string()];
            assert_eq!(
                response["content"][errors::PROBLEM_JSON]["schema"]["$ref"],
                "#/components/schemas/Problem"
            );
            assert!(
                response["content"][errors::PROBLEM_JSON]["examples"][code.as_str()].is_object(),
                "{id}: no example of {}",
                code.as_str()
            );
        }
        let takes_key = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
        assert_eq!(takes_key, spec.idempotent(), "{id}: Idempotency-Key");
        let takes_traceparent = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "traceparent" && p["in"] == "header");
        assert_eq!(
            takes_traceparent,
            CREATE_SAGA.contains(&spec.id),
            "{id}: traceparent"
        );
    }
    assert!(doc["components"]["securitySchemes"][BEARER]["scheme"] == "bearer");
}

#[test]
fn every_operation_sandbox_included_lists_the_errors_of_every_path() {
    let doc = doc();
    for (method, path, operation) in operations(&doc) {
        let responses = &operation["responses"];
        for code in EVERY {
            let content = &responses[code.status().to_string()]["content"][errors::PROBLEM_JSON];
            assert!(
                content["examples"][code.as_str()].is_object(),
                "{method} {path}: no {}",
                code.as_str()
            );
        }
        assert!(
            responses["405"]["headers"]["Allow"].is_object(),
            "{method} {path}: 405 without Allow"
        );
    }
}

#[cfg(feature = "sandbox")]
#[test]
fn sandbox_operations_are_tagged_and_keyless() {
    let doc = doc();
    let sandbox: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(_, path, _)| path.starts_with("/sandbox/"))
        .collect();
    assert!(sandbox.len() >= 21, "{}", sandbox.len());
    for (method, path, operation) in sandbox {
        assert_eq!(
            operation["tags"],
            serde_json::json!(["sandbox"]),
            "{method} {path}"
        );
        assert!(operation.get("security").is_none(), "{method} {path}");
        let description = operation["description"].as_str().unwrap_or_default();
        assert!(description.contains("sandbox.enabled"), "{method} {path}");
        assert!(description.contains("No key"), "{method} {path}");
    }
    // The sandbox's schemas survive the merge (no name is shared with the API's).
    let sandbox_doc = serde_json::to_value(onboard_sandbox::SandboxDoc::openapi()).unwrap();
    for (name, schema) in sandbox_doc["components"]["schemas"].as_object().unwrap() {
        assert_eq!(&doc["components"]["schemas"][name], schema, "{name}");
    }
}

#[test]
fn request_bodies_are_the_handlers_strict_body_structs() {
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    for (name, fields) in [
        (
            "OnboardingRequest",
            &["bank_user_ref", "name", "id_number", "phone", "card_number"][..],
        ),
        (
            "CreditApplicationRequest",
            &["payment_account_id", "name", "id_number_suffix"][..],
        ),
        ("SavingsCardRequest", &["card_number"][..]),
        ("PromptDecisionRequest", &["decision"][..]),
        ("AccountRequest", &["username", "password"][..]),
        ("TicketRequest", &["username", "password", "app_id"][..]),
        ("VerifyRequest", &["user_id", "authorization_key"][..]),
        ("RefreshRequest", &["user_id", "app_id", "refresh_key"][..]),
        (
            "PairingCodeRequest",
            &["payment_account_id", "location", "operation"][..],
        ),
        (
            "PairingClaimRequest",
            &["code", "payment_account_id", "location"][..],
        ),
        ("Location", &["lat", "lon"][..]),
    ] {
        let schema = &schemas[name];
        assert_eq!(schema["additionalProperties"], false, "{name}");
        let properties: BTreeSet<&str> = schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}"))
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(properties, fields.iter().copied().collect(), "{name}");
        let required: BTreeSet<&str> = schema["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(required, properties, "{name}");
    }
    assert_eq!(
        schemas["Decision"]["enum"],
        serde_json::json!(["approve", "reject"])
    );
}

fn at(secs: i64) -> chrono::DateTime<Utc> {
    Utc.timestamp_opt(1_750_000_000 + secs, 0).unwrap()
}

/// Every status, kind and step status, so that a new variant fails here until the
/// document knows it.
fn all_statuses() -> Vec<SagaStatus> {
    let all = [
        SagaStatus::Running,
        SagaStatus::Waiting,
        SagaStatus::Completed,
        SagaStatus::Compensating,
        SagaStatus::Compensated,
        SagaStatus::Failed,
    ];
    for status in all {
        match status {
            SagaStatus::Running
            | SagaStatus::Waiting
            | SagaStatus::Completed
            | SagaStatus::Compensating
            | SagaStatus::Compensated
            | SagaStatus::Failed => {}
        }
    }
    all.to_vec()
}

fn all_kinds() -> Vec<SagaKind> {
    let all = [
        SagaKind::PaymentAccountRegistration,
        SagaKind::VirtualCreditAccount,
        SagaKind::ServiceRequest,
    ];
    for kind in all {
        match kind {
            SagaKind::PaymentAccountRegistration
            | SagaKind::VirtualCreditAccount
            | SagaKind::ServiceRequest => {}
        }
    }
    all.to_vec()
}

fn all_step_statuses() -> Vec<StepStatus> {
    let all = [
        StepStatus::Done,
        StepStatus::Failed,
        StepStatus::Compensated,
        StepStatus::Skipped,
    ];
    for status in all {
        match status {
            StepStatus::Done
            | StepStatus::Failed
            | StepStatus::Compensated
            | StepStatus::Skipped => {}
        }
    }
    all.to_vec()
}

/// The test workflow numbered `n`.
fn workflow_id(n: usize) -> WorkflowId {
    WorkflowId::parse(&format!("wf_{n:032x}")).expect("a workflow id")
}

/// The prompt the first test workflow opens.
fn prompt_id() -> PromptId {
    PromptId::new(workflow_id(1), 1)
}

fn views() -> Vec<SagaView> {
    let registration = RegistrationResult {
        payment_account_id: PaymentAccountId::parse("pa_1").unwrap(),
        account_created: true,
        binding_id: None,
    };
    let credit = CreditApplicationResult {
        credit_account_id: CreditAccountId::parse("cr_1").unwrap(),
        credit_limit: Money::parse("5000.00", "CNY").expect("money"),
        savings_binding_id: Some(BindingId::parse("bd_1").unwrap()),
        created: true,
    };
    let waits = [
        None,
        Some(WaitingFor::SecurityPrompt {
            prompt_id: prompt_id(),
            deadline: at(600),
        }),
        Some(WaitingFor::SavingsAccountBinding {
            deadline: at(900),
            last_rejection: None,
        }),
        Some(WaitingFor::SavingsAccountBinding {
            deadline: at(900),
            last_rejection: Some("not_savings_card".into()),
        }),
    ];
    let results = [
        None,
        Some(serde_json::to_value(&registration).unwrap()),
        Some(serde_json::to_value(&credit).unwrap()),
    ];
    let mut views = Vec::new();
    for (i, status) in all_statuses().into_iter().enumerate() {
        for kind in all_kinds() {
            for waiting_for in &waits {
                for result in &results {
                    views.push(SagaView {
                        id: workflow_id(i),
                        kind,
                        status,
                        waiting_for: waiting_for.clone(),
                        steps: all_step_statuses()
                            .into_iter()
                            .map(|status| StepRecord {
                                name: "bind_card".into(),
                                status,
                                at: at(1),
                            })
                            .collect(),
                        result: result.clone(),
                        error: (i % 2 == 0).then(|| {
                            SagaError::new(
                                onboard_workflows::ErrorCode::CardDeclined,
                                "the bank declined",
                            )
                        }),
                        paused: i % 3 == 0,
                        retrying: (i % 2 == 1).then(|| RetryingView {
                            step: "bind_card".into(),
                            attempts: 3,
                            last_error: CallError {
                                code: "party_unavailable".into(),
                                detail: "party answered 503".into(),
                            },
                            next_attempt_at: (i % 3 != 0).then(|| at(3)),
                        }),
                        created_at: at(0),
                        updated_at: at(2),
                        owner: "sandbox-bank".into(),
                    });
                }
            }
        }
    }
    views
}

#[test]
fn the_workflow_schema_matches_the_served_view() {
    for view in views() {
        let json = serde_json::to_value(&view).unwrap();
        serde_json::from_value::<schemas::Workflow>(json.clone())
            .unwrap_or_else(|e| panic!("{json} does not fit the Workflow schema: {e}"));
        // Every always-present field is serialised, also when null.
        for field in ["waiting_for", "result", "error"] {
            assert!(json.get(field).is_some(), "{field} missing in {json}");
        }
    }
    let list = serde_json::json!({ "workflows": views() });
    serde_json::from_value::<schemas::WorkflowList>(list).expect("workflow list");

    // The schema's required list and nullability follow the view.
    let doc = doc();
    let workflow = &doc["components"]["schemas"]["Workflow"];
    let required: BTreeSet<&str> = workflow["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let properties: BTreeSet<&str> = workflow["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(required, properties);
}

#[test]
fn the_history_schema_matches_the_served_events() {
    let lines = [
        r#"{"at_ms":1,"event":"created","status":"running"}"#,
        r#"{"at_ms":2,"event":"attempt_failed","step":"bind_card","attempt":1,"outcome":"transient","detail":"party answered 503","status":"running"}"#,
        r#"{"at_ms":3,"event":"outcome","step":"bind_card","attempt":2,"outcome":"refused","detail":"declined","status":"compensating"}"#,
    ];
    let events: Vec<HistoryEvent> = lines
        .iter()
        .map(|line| JournalEntry::from_bytes(line.as_bytes()).expect("a journal line"))
        .map(HistoryEvent::from)
        .collect();
    let json = serde_json::json!({ "events": events });
    serde_json::from_value::<schemas::WorkflowHistory>(json.clone())
        .unwrap_or_else(|e| panic!("{json} does not fit the WorkflowHistory schema: {e}"));
    assert_eq!(json["events"][0]["step"], Value::Null, "{json}");
}

#[test]
fn the_prompt_schemas_match_the_served_json() {
    let prompt = OpenPrompt {
        id: prompt_id(),
        workflow_id: workflow_id(1),
        payment_account_id: PaymentAccountId::parse("pa_1").unwrap(),
        reason: "card_binding_confirmation",
        expires_at: at(600),
    };
    let list = serde_json::json!({ "prompts": [prompt] });
    serde_json::from_value::<schemas::SecurityPromptList>(list).expect("prompt list");
    for status in all_statuses() {
        // As `security_prompts::decide` answers.
        let decision = serde_json::json!({
            "id": prompt_id(),
            "decision": "approve",
            "workflow_id": workflow_id(1),
            "workflow_status": status,
        });
        serde_json::from_value::<schemas::PromptDecision>(decision).expect("decision");
    }
}

/// The code of each `ApiError` variant; a new variant fails to compile here until the
/// document knows its code.
fn documented_code(error: &ApiError) -> ErrorCode {
    match error {
        ApiError::Validation { .. } => ErrorCode::ValidationFailed,
        ApiError::Unauthenticated => ErrorCode::Unauthenticated,
        ApiError::Forbidden => ErrorCode::Forbidden,
        ApiError::NotFound => ErrorCode::NotFound,
        ApiError::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
        ApiError::IdempotencyKeyInUse => ErrorCode::IdempotencyKeyInUse,
        ApiError::RealNameMismatch => ErrorCode::RealNameMismatch,
        ApiError::CardRefused(code) => match code.as_str() {
            "not_savings_card" => ErrorCode::NotSavingsCard,
            "card_holder_mismatch" => ErrorCode::CardHolderMismatch,
            "already_bound" => ErrorCode::AlreadyBound,
            _ => ErrorCode::CardRefused,
        },
        ApiError::CodeNotFound => ErrorCode::CodeNotFound,
        ApiError::LinkNotFound => ErrorCode::LinkNotFound,
        ApiError::VirtualAccountRevoked => ErrorCode::VirtualAccountRevoked,
        ApiError::VirtualAccountMismatch => ErrorCode::VirtualAccountMismatch,
        ApiError::CodesExhausted { .. } => ErrorCode::CodesExhausted,
        ApiError::PromptClosed => ErrorCode::PromptClosed,
        ApiError::Conflict(_) => ErrorCode::InvalidState,
        ApiError::WeakPassword(_) => ErrorCode::WeakPassword,
        ApiError::UsernameTaken => ErrorCode::UsernameTaken,
        ApiError::InvalidCredentials => ErrorCode::InvalidCredentials,
        ApiError::UnknownApp => ErrorCode::UnknownApp,
        ApiError::TicketInvalid => ErrorCode::TicketInvalid,
        ApiError::TicketExpired => ErrorCode::TicketExpired,
        ApiError::RefreshKeyReused => ErrorCode::RefreshKeyReused,
        ApiError::RateLimited { .. } => ErrorCode::RateLimited,
        ApiError::Unavailable => ErrorCode::Unavailable,
        ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
        ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
        ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
        ApiError::Internal => ErrorCode::Internal,
    }
}

#[test]
fn error_codes_match_the_problems_the_api_sends() {
    let doc = doc();
    let schema_codes: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(schema_codes, codes);
    for code in ErrorCode::ALL {
        let error = code.sample();
        assert_eq!(documented_code(&error), code);
        let problem: Problem = serde_json::from_value(code.example())
            .unwrap_or_else(|e| panic!("{}: {e}", code.as_str()));
        assert_eq!(problem.code, code);
        assert_eq!(problem.status, error.status_code().as_u16());
        assert_eq!(
            problem.kind,
            format!("https://onboard.dev/problems/{}", code.as_str())
        );
    }
    // The documented statuses of the contract.
    for (code, status) in [
        (ErrorCode::ValidationFailed, 400),
        (ErrorCode::Unauthenticated, 401),
        (ErrorCode::Forbidden, 403),
        (ErrorCode::NotFound, 404),
        (ErrorCode::PromptClosed, 409),
        (ErrorCode::IdempotencyKeyInUse, 409),
        (ErrorCode::IdempotencyKeyReused, 422),
        (ErrorCode::RealNameMismatch, 422),
        (ErrorCode::NotSavingsCard, 422),
        (ErrorCode::CardHolderMismatch, 422),
        (ErrorCode::WeakPassword, 422),
        (ErrorCode::UsernameTaken, 409),
        (ErrorCode::InvalidCredentials, 401),
        (ErrorCode::UnknownApp, 422),
        (ErrorCode::TicketInvalid, 401),
        (ErrorCode::TicketExpired, 401),
        (ErrorCode::RefreshKeyReused, 401),
        (ErrorCode::RateLimited, 429),
        (ErrorCode::Unavailable, 503),
        (ErrorCode::CodeNotFound, 404),
        (ErrorCode::CodesExhausted, 503),
        (ErrorCode::LinkNotFound, 404),
        (ErrorCode::VirtualAccountRevoked, 410),
        (ErrorCode::VirtualAccountMismatch, 422),
    ] {
        assert_eq!(code.status(), status, "{}", code.as_str());
    }
}
