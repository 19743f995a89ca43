//! The fresh ids a saga is given for what it opens (its security prompts), minted so that
//! each names its saga. A decision arrives with the prompt id alone and must reach the
//! saga even once the prompt closed, so that the saga can answer that it is closed: the
//! prompt's index row is gone by then, and looking it up would cost a read per partition.

use rand::Rng;

/// A fresh id for saga `saga_id`: the saga id, a dash and a random nonce.
pub(crate) fn mint(saga_id: &str) -> String {
    let nonce: u64 = rand::rng().random();
    format!("{saga_id}-{nonce:016x}")
}

/// The saga a fresh id was minted for, if it is one.
pub(crate) fn saga_of(fresh_id: &str) -> Option<&str> {
    fresh_id
        .rsplit_once('-')
        .map(|(saga, _)| saga)
        .filter(|saga| !saga.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_id_names_its_saga() {
        let id = mint("wf_1-a");
        assert_eq!(saga_of(&id), Some("wf_1-a"));
        assert_ne!(mint("wf_1-a"), id);
    }

    #[test]
    fn an_id_not_minted_here_names_no_saga() {
        assert_eq!(saga_of("nodash"), None);
        assert_eq!(saga_of("-0123"), None);
    }
}
