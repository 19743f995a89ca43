//! Random identifiers for the things the parties create.

use uuid::Uuid;

/// `prefix` followed by 24 random hex characters, e.g. `pa_…` for a payment
/// account: unguessable, and recognisable in logs by kind.
pub(crate) fn new_id(prefix: &str) -> String {
    let hex = Uuid::new_v4().simple().to_string();
    format!("{prefix}{}", &hex[..24])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_prefix_and_24_hex_chars() {
        let id = new_id("pa_");
        assert_eq!(id.len(), 27);
        assert!(id.starts_with("pa_"));
        assert!(id[3..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(id, new_id("pa_"));
    }
}
