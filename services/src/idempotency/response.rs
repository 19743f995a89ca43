//! The response an idempotency record keeps: whatever the first request answered,
//! replayed byte for byte.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A response worth replaying: status, the headers that matter, and the body's bytes.
/// It knows nothing of the endpoint that produced it, so any endpoint can be made
/// idempotent without a change here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers to send again (`Content-Type`, `Location` …), names in lower case, in
    /// the order they were given.
    pub headers: Vec<(String, String)>,
    /// The body, exactly as first sent (base64 in the record).
    #[serde(serialize_with = "to_base64", deserialize_with = "from_base64")]
    pub body: Vec<u8>,
    /// The saga the response is about, if any, so that its record is deleted with the
    /// saga; not part of what is replayed.
    #[serde(skip)]
    pub saga_id: Option<String>,
}

impl StoredResponse {
    /// `status` with `body` serialised as JSON.
    ///
    /// # Panics
    /// When `body` cannot be serialised (a map with non-string keys): a bug in the
    /// caller's type, never an input.
    pub fn json(status: u16, body: &impl Serialize) -> StoredResponse {
        StoredResponse {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: serde_json::to_vec(body).expect("response bodies serialise"),
            saga_id: None,
        }
    }

    /// The same response, noted as being about saga `id`: its record goes with the saga.
    pub fn about_saga(mut self, id: impl Into<String>) -> StoredResponse {
        self.saga_id = Some(id.into());
        self
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> StoredResponse {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The record's bytes, as the store keeps them.
    pub(crate) fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("stored responses serialise")
    }

    /// A response from a record's bytes, written by this version or the one before.
    pub(crate) fn decode(bytes: &[u8]) -> Result<StoredResponse, serde_json::Error> {
        Ok(match serde_json::from_slice(bytes)? {
            Record::Current(response) => response,
            Record::WorkflowView(record) => record.into(),
        })
    }
}

/// The record formats a store may hold.
#[derive(Deserialize)]
#[serde(untagged)]
enum Record {
    Current(StoredResponse),
    WorkflowView(WorkflowViewRecord),
}

/// A record written before responses were stored whole (only a JSON body and an
/// optional `Location`); still read while such records live (`idempotency_ttl_secs`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkflowViewRecord {
    status: u16,
    #[serde(default)]
    location: Option<String>,
    body: serde_json::Value,
}

impl From<WorkflowViewRecord> for StoredResponse {
    fn from(record: WorkflowViewRecord) -> StoredResponse {
        let response = StoredResponse::json(record.status, &record.body);
        match record.location {
            Some(location) => response.with_header("location", location),
            None => response,
        }
    }
}

fn to_base64<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&STANDARD.encode(bytes))
}

fn from_base64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(deserializer)?;
    STANDARD.decode(text).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_keeps_every_byte_and_header() {
        let response = StoredResponse {
            status: 201,
            headers: vec![
                ("content-type".into(), "text/plain; charset=utf-8".into()),
                ("location".into(), "/v1/tickets/t_1".into()),
                ("link".into(), "</a>; rel=next".into()),
            ],
            body: vec![0, 159, 146, 150, b'\n', b' '],
            saga_id: None,
        };
        assert_eq!(
            StoredResponse::decode(&response.encode()).unwrap(),
            response
        );
    }

    #[test]
    fn json_sets_the_content_type_and_keeps_the_serialised_bytes() {
        let response = StoredResponse::json(202, &serde_json::json!({"id": "x", "n": 1}))
            .with_header("Location", "/v1/onboardings/x");
        assert_eq!(response.status, 202);
        assert_eq!(response.body, br#"{"id":"x","n":1}"#);
        assert_eq!(
            response.headers,
            [
                ("content-type".to_owned(), "application/json".to_owned()),
                ("location".to_owned(), "/v1/onboardings/x".to_owned()),
            ]
        );
    }

    #[test]
    fn a_record_of_the_workflow_view_format_reads_as_its_response() {
        let with_location =
            br#"{"status":202,"location":"/v1/onboardings/wf_1","body":{"id":"wf_1","steps":[]}}"#;
        assert_eq!(
            StoredResponse::decode(with_location).unwrap(),
            StoredResponse::json(202, &serde_json::json!({"id": "wf_1", "steps": []}))
                .with_header("location", "/v1/onboardings/wf_1")
        );
        let without = br#"{"status":200,"body":{"id":"wf_1"}}"#;
        assert_eq!(
            StoredResponse::decode(without).unwrap(),
            StoredResponse::json(200, &serde_json::json!({"id": "wf_1"}))
        );
    }

    #[test]
    fn an_unreadable_record_is_an_error() {
        for bytes in [
            &b"not json"[..],
            br#"{"status":200}"#,
            br#"{"status":200,"headers":[],"body":"%%"}"#,
        ] {
            assert!(StoredResponse::decode(bytes).is_err(), "{bytes:?}");
        }
    }
}
