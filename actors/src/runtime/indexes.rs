//! The one place where the index entries a saga declares ([`IndexEntry`]) become the
//! store's index rows, and where index names are formed: the rest of the runtime only
//! hands the resulting changes to the store with each write.

use onboard_workflows::{AnySaga, IndexEntry};

use crate::store::{IndexChanges, IndexKey};

/// The index of an account's open security prompts; its members are prompt ids.
pub(crate) fn security_prompts(payment_account_id: &str) -> String {
    format!("prompts:{payment_account_id}")
}

/// The rows `saga` is to be in now, in its current state.
pub(crate) fn rows(saga: &AnySaga) -> Vec<IndexKey> {
    saga.index_entries().iter().map(row).collect()
}

/// What a transition from `before` to `after` changes in the indexes.
pub(crate) fn changes(before: &AnySaga, after: &AnySaga) -> IndexChanges {
    difference(rows(before), rows(after))
}

fn row(entry: &IndexEntry<'_>) -> IndexKey {
    match *entry {
        IndexEntry::SecurityPrompt {
            payment_account_id,
            prompt_id,
        } => IndexKey {
            index: security_prompts(payment_account_id),
            member: prompt_id.to_owned(),
        },
    }
}

/// The rows to add and to drop to go from `before` to `after`; a row in both stays.
fn difference(before: Vec<IndexKey>, after: Vec<IndexKey>) -> IndexChanges {
    let add = after
        .iter()
        .filter(|row| !before.contains(row))
        .cloned()
        .collect();
    let remove = before
        .into_iter()
        .filter(|row| !after.contains(row))
        .collect();
    IndexChanges { add, remove }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(account: &str, prompt_id: &str) -> IndexKey {
        row(&IndexEntry::SecurityPrompt {
            payment_account_id: account,
            prompt_id,
        })
    }

    #[test]
    fn a_prompt_is_a_member_of_its_accounts_index() {
        assert_eq!(
            prompt("pa_1", "p-1"),
            IndexKey {
                index: "prompts:pa_1".into(),
                member: "p-1".into(),
            }
        );
    }

    #[test]
    fn opening_replacing_keeping_and_closing_a_prompt() {
        let opened = difference(vec![], vec![prompt("pa_1", "p-1")]);
        assert_eq!(
            (opened.add, opened.remove),
            (vec![prompt("pa_1", "p-1")], vec![])
        );
        let replaced = difference(vec![prompt("pa_1", "p-1")], vec![prompt("pa_1", "p-2")]);
        assert_eq!(
            (replaced.add, replaced.remove),
            (vec![prompt("pa_1", "p-2")], vec![prompt("pa_1", "p-1")])
        );
        let kept = difference(vec![prompt("pa_1", "p-1")], vec![prompt("pa_1", "p-1")]);
        assert_eq!(kept, IndexChanges::default());
        let closed = difference(vec![prompt("pa_1", "p-1")], vec![]);
        assert_eq!(
            (closed.add, closed.remove),
            (vec![], vec![prompt("pa_1", "p-1")])
        );
    }
}
