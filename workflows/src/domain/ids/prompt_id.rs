//! Security-prompt ids: the workflow that waits on the prompt, and a random nonce.

use super::{is_lower_hex, WorkflowId};
use crate::domain::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

const FIELD: &str = "id";

/// Hex characters of the nonce: a `u64`, zero-padded.
const NONCE_HEX_LEN: usize = 16;

/// A security prompt's id. It names its workflow as data, so a decision finds the saga
/// without an index; on the wire it is `<workflow id>-<16 lowercase hex>`, e.g.
/// `wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d65`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PromptId {
    workflow: WorkflowId,
    nonce: u64,
}

impl PromptId {
    /// A prompt opened by `workflow`; `nonce` is random, so that a prompt id cannot be
    /// guessed from its workflow's and a later prompt never reuses an earlier one's id.
    pub fn new(workflow: WorkflowId, nonce: u64) -> Self {
        Self { workflow, nonce }
    }

    /// Parses a prompt id as Onboard writes it; anything else names no prompt.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let (workflow, nonce) = raw.split_once('-').ok_or(ParseError::new(
            FIELD,
            "must be a workflow id, - and 16 hex",
        ))?;
        let workflow = WorkflowId::parse(workflow)?;
        if !is_lower_hex(nonce, NONCE_HEX_LEN) {
            return Err(ParseError::new(FIELD, "must end in 16 lowercase hex"));
        }
        let nonce = u64::from_str_radix(nonce, 16)
            .map_err(|_| ParseError::new(FIELD, "must end in 16 lowercase hex"))?;
        Ok(Self { workflow, nonce })
    }

    /// The workflow that opened the prompt and waits on its decision.
    pub fn workflow_id(&self) -> &WorkflowId {
        &self.workflow
    }
}

impl TryFrom<String> for PromptId {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PromptId> for String {
    fn from(value: PromptId) -> Self {
        value.to_string()
    }
}

impl fmt::Display for PromptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:016x}", self.workflow, self.nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::PromptId;
    use crate::domain::WorkflowId;

    const WORKFLOW: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364";
    const PROMPT: &str = "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d65";

    #[test]
    fn parses_the_ids_onboard_makes_and_names_their_workflow() {
        let prompt = PromptId::parse(PROMPT).unwrap();
        assert_eq!(prompt.workflow_id().as_str(), WORKFLOW);
        assert_eq!(prompt.to_string(), PROMPT);
        let zero = format!("{WORKFLOW}-0000000000000000");
        assert_eq!(PromptId::parse(&zero).unwrap().to_string(), zero);
    }

    #[test]
    fn a_new_prompt_is_written_as_before() {
        let workflow = WorkflowId::parse(WORKFLOW).unwrap();
        let prompt = PromptId::new(workflow.clone(), 0x9f86_d081_884c_7d65);
        assert_eq!(prompt.to_string(), PROMPT);
        assert_eq!(prompt.workflow_id(), &workflow);
        assert_eq!(
            PromptId::new(workflow, 1).to_string(),
            format!("{WORKFLOW}-0000000000000001")
        );
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "",
            "-",
            WORKFLOW,
            "wf_1-1",
            "wf_1-9f86d081884c7d65",
            "ca_unknown-9f86d081884c7d65",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-1",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9F86D081884C7D65",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d6",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d650",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-+f86d081884c7d65",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364-9f86d081884c7d65-0",
            "wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364_9f86d081884c7d65",
            "9f86d081884c7d65-wf_0c8e5d6b2f7a4e91b3d5a7c9e1f20364",
        ] {
            assert!(PromptId::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_writes_and_reads_the_plain_string() {
        let prompt = PromptId::parse(PROMPT).unwrap();
        let json = serde_json::to_string(&prompt).unwrap();
        assert_eq!(json, format!("\"{PROMPT}\""));
        assert_eq!(serde_json::from_str::<PromptId>(&json).unwrap(), prompt);
        assert!(serde_json::from_str::<PromptId>("\"wf_1-1\"").is_err());
    }
}
