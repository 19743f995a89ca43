use std::collections::BTreeSet;

use serde_json::Value;

use super::*;
use crate::faults::MAX_DELAY_MS;
use crate::operation::{Operation, Party};

fn doc() -> Value {
    serde_json::to_value(SandboxDoc::openapi()).expect("the document serialises")
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            all.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    all
}

#[test]
fn every_documented_operation_has_a_spec_and_every_spec_an_operation() {
    let doc = doc();
    let documented: BTreeSet<String> = operations(&doc)
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().expect("operationId").to_owned())
        .collect();
    let specified: BTreeSet<String> = OPERATIONS.iter().map(|s| s.id.to_owned()).collect();
    assert_eq!(documented, specified);
}

#[test]
fn every_operation_is_tagged_noted_and_lists_its_problems() {
    let doc = doc();
    for (method, path, operation) in operations(&doc) {
        assert!(path.starts_with("/sandbox/"), "{path}");
        assert_eq!(operation["tags"], serde_json::json!(["sandbox"]), "{path}");
        assert!(operation.get("security").is_none(), "{path}");
        let description = operation["description"].as_str().unwrap_or_default();
        assert!(description.contains("sandbox.enabled"), "{path}");
        let spec = OPERATIONS
            .iter()
            .find(|s| s.id == operation["operationId"])
            .expect("spec");
        for code in spec.kind.errors().iter().chain(spec.errors) {
            let response = &operation["responses"][code.status().as_str()];
            let content = &response["content"][PROBLEM_JSON];
            assert_eq!(
                content["schema"]["$ref"], "#/components/schemas/SandboxProblem",
                "{method} {path}"
            );
            let example = &content["examples"][code.as_str()]["value"];
            assert_eq!(example["code"], code.as_str(), "{method} {path}");
            assert_eq!(example["status"], code.status().as_u16());
        }
        let has_body = operation.get("requestBody").is_some();
        assert_eq!(has_body, method == "post", "{path}");
        if has_body {
            let body = &operation["requestBody"];
            assert_eq!(body["required"], true, "{path}");
            assert!(body["content"]["application/json"].is_object(), "{path}");
        }
        let takes_key = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "Idempotency-Key" && p["required"] == true);
        assert_eq!(takes_key, spec.kind == Kind::Effect, "{path}");
    }
}

#[test]
fn bodies_are_strict_and_carry_their_limits() {
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    for name in [
        "LookupPerson",
        "RegisterAccount",
        "AccountRef",
        "BindCard",
        "BindingRef",
        "BindSavingsCard",
        "CardCheck",
        "RealName",
        "CreateCreditAccount",
        "CreditAccountRef",
        "NewUser",
        "NewCustomer",
        "NewSavingsCard",
        "History",
    ] {
        assert_eq!(schemas[name]["additionalProperties"], false, "{name}");
    }
    assert_eq!(
        schemas["FaultMode"]["enum"],
        serde_json::json!([
            "error",
            "timeout",
            "decline",
            "in_progress",
            "garbled",
            "unauthorized"
        ])
    );
    assert_eq!(
        schemas["BindCard"]["properties"]["card_number"]["pattern"],
        "^[0-9]{4,}$"
    );
    let volume = schemas["History"]["properties"]["payment_volume"]["pattern"]
        .as_str()
        .expect("pattern");
    assert!(volume.contains("{1,15}"), "{volume}");
}

#[test]
fn the_problem_schema_lists_every_code() {
    let doc = doc();
    let listed: BTreeSet<String> = doc["components"]["schemas"]["SandboxErrorCode"]["enum"]
        .as_array()
        .expect("enum")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let used: BTreeSet<String> = OPERATIONS
        .iter()
        .flat_map(|s| s.kind.errors().iter().chain(s.errors))
        .map(|code| code.as_str())
        .collect();
    assert_eq!(
        listed, used,
        "a code no operation answers, or one undocumented"
    );
}

#[test]
fn a_fault_request_names_an_operation_of_its_party() {
    let doc = doc();
    let variants = doc["components"]["schemas"]["FaultRequest"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .clone();
    assert_eq!(variants.len(), Party::ALL.len());
    for (variant, party) in variants.iter().zip(Party::ALL) {
        assert_eq!(
            variant["properties"]["party"]["enum"],
            serde_json::json!([party.name()])
        );
        let operations: Vec<&str> = Operation::ALL
            .into_iter()
            .filter(|operation| operation.party() == party)
            .map(Operation::name)
            .collect();
        assert_eq!(
            variant["properties"]["operation"]["enum"],
            serde_json::json!(operations)
        );
        assert_eq!(variant["properties"]["times"]["minimum"], 1);
        assert_eq!(variant["properties"]["delay_ms"]["maximum"], MAX_DELAY_MS);
        assert_eq!(variant["additionalProperties"], false);
    }
}
