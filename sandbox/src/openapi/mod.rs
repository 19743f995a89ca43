//! The sandbox's part of the OpenAPI document: every `/sandbox/…` route, its body and
//! reply types, and the problems it answers. The orchestrator's document merges it, so
//! that a client or a fuzzer sees every endpoint the binary serves.

mod fault_request;
mod fixture_paths;
mod party_paths;

use std::collections::BTreeMap;

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{OpenApi as Document, Ref, RefOr, Required, Response};
use utoipa::{Modify, OpenApi};

use crate::error::ErrorCode::{self, *};
use crate::error::{ApiError, Problem, PROBLEM_JSON};
use crate::idempotency;

/// The sandbox's OpenAPI document, merged into the orchestrator's.
#[derive(OpenApi)]
#[openapi(
    paths(
        party_paths::lookup_person,
        party_paths::register_account,
        party_paths::close_account,
        party_paths::bind_card,
        party_paths::unbind_card,
        party_paths::security_rule,
        party_paths::account_profile,
        party_paths::charge,
        party_paths::real_name_record,
        party_paths::savings_status,
        party_paths::bind_savings_card,
        party_paths::verify_card,
        party_paths::verify_savings_card,
        party_paths::credit_account_lookup,
        party_paths::create_credit_account,
        party_paths::close_credit_account,
        fixture_paths::create_user,
        fixture_paths::create_customer,
        fixture_paths::create_savings_card,
        fixture_paths::wallet_person,
        fixture_paths::bank_person,
        fixture_paths::inject_fault,
        fixture_paths::clear_faults,
        fixture_paths::ledger,
    ),
    components(schemas(Problem, ErrorCode, crate::faults::Mode)),
    modifiers(&Operations),
    tags((name = "sandbox", description = SANDBOX)),
)]
pub struct SandboxDoc;

const SANDBOX: &str = "Simulated bank and wallet (payment app) on real HTTP, with their \
    fixtures, fault injection and effect ledger. Served only while the sandbox is enabled \
    (`sandbox.enabled`, never in a production configuration), and by `onboard serve` to \
    loopback peers only unless `sandbox.expose` is set. No key needed.";

/// How an operation runs (see `pipeline`), which decides the errors it shares with others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A party operation without an effect: faults apply.
    Query,
    /// A party operation with an effect: `Idempotency-Key` required, faults apply.
    Effect,
    /// A fixture: changes state outside the ledger.
    Fixture,
    /// Shows state, takes no body.
    Inspect,
    /// Queues faults; touches no stored state.
    Faults,
    /// Drops queued faults: no body, no stored state, nothing to refuse.
    Reset,
}

impl Kind {
    fn errors(self) -> &'static [ErrorCode] {
        match self {
            Kind::Query => &[
                ValidationFailed,
                PayloadTooLarge,
                UnsupportedMediaType,
                Declined,
                InjectedError,
                Unauthorized,
                RequestInProgress,
                StorageFailed,
            ],
            Kind::Effect => &[
                ValidationFailed,
                PayloadTooLarge,
                UnsupportedMediaType,
                IdempotencyKeyMissing,
                IdempotencyKeyInvalid,
                IdempotencyKeyReused,
                Declined,
                InjectedError,
                Unauthorized,
                RequestInProgress,
                StorageFailed,
            ],
            Kind::Fixture => &[
                ValidationFailed,
                PayloadTooLarge,
                UnsupportedMediaType,
                StorageFailed,
            ],
            Kind::Inspect => &[StorageFailed],
            Kind::Faults => &[ValidationFailed, PayloadTooLarge, UnsupportedMediaType],
            Kind::Reset => &[],
        }
    }
}

/// One operation: its kind and the errors of its own.
struct Spec {
    id: &'static str,
    kind: Kind,
    errors: &'static [ErrorCode],
}

const fn spec(id: &'static str, kind: Kind, errors: &'static [ErrorCode]) -> Spec {
    Spec { id, kind, errors }
}

/// Every sandbox operation.
const OPERATIONS: &[Spec] = &[
    spec("lookup_person", Kind::Query, &[]),
    spec("register_account", Kind::Effect, &[AccountExists]),
    spec("close_account", Kind::Effect, &[NotFound]),
    spec("bind_card", Kind::Effect, &[NotFound]),
    spec("unbind_card", Kind::Effect, &[NotFound]),
    spec("security_rule", Kind::Query, &[NotFound]),
    spec("account_profile", Kind::Query, &[AccountNotFound]),
    spec(
        "charge",
        Kind::Effect,
        &[AccountNotFound, InsufficientFunds],
    ),
    spec("real_name_record", Kind::Query, &[AccountNotFound]),
    spec("savings_status", Kind::Query, &[AccountNotFound]),
    spec(
        "bind_savings_card",
        Kind::Effect,
        &[AccountNotFound, AlreadyBound],
    ),
    spec("verify_card", Kind::Query, &[]),
    spec(
        "verify_savings_card",
        Kind::Query,
        &[NotSavingsCard, CardHolderMismatch],
    ),
    spec("credit_account_lookup", Kind::Query, &[]),
    spec(
        "create_credit_account",
        Kind::Effect,
        &[CreditAccountExists],
    ),
    spec("close_credit_account", Kind::Effect, &[NotFound]),
    spec(
        "create_user",
        Kind::Fixture,
        &[AccountExists, SavingsCardTaken],
    ),
    spec("create_customer", Kind::Fixture, &[]),
    spec("create_savings_card", Kind::Fixture, &[SavingsCardTaken]),
    spec("wallet_person", Kind::Inspect, &[]),
    spec("bank_person", Kind::Inspect, &[]),
    spec("inject_fault", Kind::Faults, &[]),
    spec("clear_faults", Kind::Reset, &[]),
    spec("ledger", Kind::Inspect, &[]),
];

/// Adds each operation's `Idempotency-Key`, error responses and the sandbox's note.
struct Operations;

impl Modify for Operations {
    fn modify(&self, doc: &mut Document) {
        for item in doc.paths.paths.values_mut() {
            for operation in [&mut item.get, &mut item.post, &mut item.delete]
                .into_iter()
                .flatten()
            {
                let spec = operation
                    .operation_id
                    .as_deref()
                    .and_then(|id| OPERATIONS.iter().find(|spec| spec.id == id));
                if let Some(spec) = spec {
                    complete(operation, spec);
                }
            }
        }
    }
}

fn complete(operation: &mut Operation, spec: &Spec) {
    let description = operation.description.take().unwrap_or_default();
    operation.description = Some(format!("{description}\n\n{SANDBOX}"));
    if spec.kind == Kind::Effect {
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(idempotency_key());
    }
    let codes = spec.kind.errors().iter().chain(spec.errors);
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in codes {
        by_status
            .entry(code.status().as_u16())
            .or_default()
            .push(*code);
    }
    for (status, codes) in by_status {
        operation
            .responses
            .responses
            .insert(status.to_string(), RefOr::T(response(&codes)));
    }
}

/// The required `Idempotency-Key` of an operation with an effect.
fn idempotency_key() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(idempotency::HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "1–255 visible ASCII characters. The same key and body get the first answer \
             again and apply nothing twice; the same key with another body: 422.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(idempotency::MAX_LEN))
                .pattern(Some("^[!-~]+$")),
        ))
        .build()
}

fn response(codes: &[ErrorCode]) -> Response {
    let listed = codes
        .iter()
        .map(|code| format!("`{}`", code.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let examples = codes.iter().map(|code| {
        let problem = serde_json::to_value(Problem::of(&sample(*code))).ok();
        (
            code.as_str(),
            ExampleBuilder::new()
                .summary(code.as_str())
                .value(problem)
                .build(),
        )
    });
    ResponseBuilder::new()
        .description(format!("`code` {listed}."))
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("SandboxProblem")))
                .examples_from_iter(examples)
                .build(),
        )
        .build()
}

/// An error that answers with `code`, for the examples.
fn sample(code: ErrorCode) -> ApiError {
    match code {
        ValidationFailed => ApiError::Validation("`card_number` must not be empty".into()),
        IdempotencyKeyMissing => ApiError::KeyMissing,
        IdempotencyKeyInvalid => ApiError::KeyInvalid,
        IdempotencyKeyReused => ApiError::KeyReused,
        AccountExists => ApiError::AccountExists,
        NotFound => ApiError::NotFound("payment account"),
        AccountNotFound => ApiError::AccountNotFound,
        AlreadyBound => ApiError::AlreadyBound,
        NotSavingsCard => ApiError::NotSavingsCard,
        CardHolderMismatch => ApiError::CardHolderMismatch,
        SavingsCardTaken => ApiError::SavingsCardTaken,
        CreditAccountExists => ApiError::CreditAccountExists,
        Declined => ApiError::Declined,
        InsufficientFunds => ApiError::InsufficientFunds,
        InjectedError => ApiError::Injected,
        Unauthorized => ApiError::Unauthorized,
        RequestInProgress => ApiError::InProgress,
        StorageFailed => ApiError::Storage,
        PayloadTooLarge => ApiError::PayloadTooLarge { limit_kib: 64 },
        UnsupportedMediaType => ApiError::UnsupportedMediaType,
    }
}

#[cfg(test)]
mod tests;
