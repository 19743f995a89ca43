//! The schema of a fault request: one object per party, listing only that party's
//! operations, so that every request the schema admits names an operation of the party it
//! names (the one rule of `FaultRequest` a derived schema cannot state).

use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::faults::{FaultRequest, MAX_DELAY_MS};
use crate::operation::{Operation, Party};

impl PartialSchema for FaultRequest {
    fn schema() -> RefOr<Schema> {
        let int64 = || SchemaFormat::KnownFormat(KnownFormat::Int64);
        let by_party = Party::ALL.map(|party| {
            let operations = Operation::ALL
                .into_iter()
                .filter(|operation| operation.party() == party)
                .map(Operation::name);
            ObjectBuilder::new()
                .title(Some(party.name()))
                .property(
                    "party",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([party.name()]))
                        .description(Some("The party offering `operation`.")),
                )
                .required("party")
                .property(
                    "operation",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(operations))
                        .description(Some("The operation whose next calls fail.")),
                )
                .required("operation")
                .property("mode", Ref::from_schema_name("FaultMode"))
                .required("mode")
                .property(
                    "times",
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(int64()))
                        .minimum(Some(1))
                        .maximum(Some(u32::MAX))
                        .description(Some("How many of the next calls fail so.")),
                )
                .required("times")
                .property(
                    "delay_ms",
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                        .format(Some(int64()))
                        .minimum(Some(0))
                        .maximum(Some(MAX_DELAY_MS))
                        .description(Some(
                            "How long a `timeout` fault holds the answer (default 5000 ms).",
                        )),
                )
                .additional_properties(Some(AdditionalProperties::FreeForm(false)))
                .build()
        });
        by_party
            .into_iter()
            .fold(OneOfBuilder::new(), OneOfBuilder::item)
            .description(Some(
                "The next `times` calls of `operation` fail as `mode` says; `operation` \
                 must be one of `party`'s.",
            ))
            .into()
    }
}

impl ToSchema for FaultRequest {}
