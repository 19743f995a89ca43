//! Workflow ids: the prefix of the saga's kind and 128 bits in hex.

use super::is_lower_hex;
use crate::domain::ParseError;
use crate::saga::SagaKind;
use serde::{Deserialize, Serialize};
use std::fmt::{self, Write};

const FIELD: &str = "id";

/// Hex characters after the prefix: 16 bytes, so an id is unguessable.
const HEX_LEN: usize = 32;

/// A workflow's id, e.g. `wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364`: the id prefix of its
/// kind (`wf` for onboardings, `ca` for credit applications), `_`, and 32 lowercase hex
/// characters. Not personal data, so shown in full.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkflowId(String);

impl WorkflowId {
    /// The id of a new workflow of `kind` from 16 bytes the caller made (random, or derived
    /// from the request so that a retry finds the same workflow).
    pub fn new(kind: SagaKind, bytes: [u8; 16]) -> Self {
        let mut id = format!("{}_", kind.id_prefix());
        for byte in bytes {
            // Writing to a String cannot fail.
            let _ = write!(id, "{byte:02x}");
        }
        Self(id)
    }

    /// Parses an id as Onboard writes it; anything else names no workflow.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let (prefix, hex) = raw.split_once('_').ok_or(ParseError::new(
            FIELD,
            "must be a kind prefix, _ and 32 hex",
        ))?;
        if SagaKind::from_id_prefix(prefix).is_none() {
            return Err(ParseError::new(FIELD, "has no workflow kind's prefix"));
        }
        if !is_lower_hex(hex, HEX_LEN) {
            return Err(ParseError::new(FIELD, "must end in 32 lowercase hex"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The id as text, for the store's keys and the sealing of the saga's state.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WorkflowId {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WorkflowId> for String {
    fn from(value: WorkflowId) -> Self {
        value.0
    }
}

impl fmt::Display for WorkflowId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::WorkflowId;
    use crate::saga::SagaKind;

    const ONBOARDING: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364";
    const APPLICATION: &str = "ca_d2c838ff08ee39269f4398dc6b6f72bd";

    #[test]
    fn parses_the_ids_onboard_makes() {
        for id in [ONBOARDING, APPLICATION] {
            assert_eq!(WorkflowId::parse(id).unwrap().as_str(), id);
        }
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "wf_",
            "wf_1",
            "wf_unknown",
            "does-not-exist",
            "wf0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "xx_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "cr_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "WF_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "wf_0C8E5D6B2F7A4E91B3D5A7C9E1F20364",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f2036",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f203645",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f2036g",
            " wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-00",
            "wf__c8e5d6b2f7a4e91b3d5a7c9e1f20364",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f2036٣",
        ] {
            assert!(WorkflowId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_new_id_has_its_kinds_prefix_and_the_bytes_in_hex() {
        let bytes = [
            0xd2, 0xc8, 0x38, 0xff, 0x08, 0xee, 0x39, 0x26, 0x9f, 0x43, 0x98, 0xdc, 0x6b, 0x6f,
            0x72, 0xbd,
        ];
        let id = WorkflowId::new(SagaKind::VirtualCreditAccount, bytes);
        assert_eq!(id.as_str(), APPLICATION);
        let id = WorkflowId::new(SagaKind::PaymentAccountRegistration, [0; 16]);
        assert_eq!(id.to_string(), format!("wf_{}", "0".repeat(32)));
        assert_eq!(WorkflowId::parse(id.as_str()).unwrap(), id);
    }

    #[test]
    fn serde_writes_and_reads_the_plain_string() {
        let id = WorkflowId::parse(ONBOARDING).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{ONBOARDING}\""));
        assert_eq!(serde_json::from_str::<WorkflowId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<WorkflowId>("\"wf_1\"").is_err());
    }
}
