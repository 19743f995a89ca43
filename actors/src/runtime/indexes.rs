//! The one place where the index entries a saga declares ([`IndexEntry`]) become the
//! store's index rows, and where index names are formed: the rest of the runtime only
//! hands the resulting changes to the store with each write.

use onboard_workflows::domain::PaymentAccountId;
use onboard_workflows::{AnySaga, IndexEntry};

use crate::store::{IndexChanges, IndexKey};

/// The index of an account's open security prompts; its members are prompt ids.
pub(crate) fn security_prompts(payment_account_id: &PaymentAccountId) -> String {
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
            member: prompt_id.to_string(),
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
    use onboard_workflows::domain::{PromptId, WorkflowId};

    const WORKFLOW: &str = "wf_0123456789abcdef0123456789abcdef";

    fn prompt(account: &str, nonce: u64) -> IndexKey {
        let account = PaymentAccountId::parse(account).unwrap();
        let prompt_id = PromptId::new(WorkflowId::parse(WORKFLOW).unwrap(), nonce);
        row(&IndexEntry::SecurityPrompt {
            payment_account_id: &account,
            prompt_id: &prompt_id,
        })
    }

    #[test]
    fn a_prompt_is_a_member_of_its_accounts_index() {
        assert_eq!(
            prompt("pa_1", 1),
            IndexKey {
                index: "prompts:pa_1".into(),
                member: format!("{WORKFLOW}-0000000000000001"),
            }
        );
    }

    #[test]
    fn opening_replacing_keeping_and_closing_a_prompt() {
        let opened = difference(vec![], vec![prompt("pa_1", 1)]);
        assert_eq!(
            (opened.add, opened.remove),
            (vec![prompt("pa_1", 1)], vec![])
        );
        let replaced = difference(vec![prompt("pa_1", 1)], vec![prompt("pa_1", 2)]);
        assert_eq!(
            (replaced.add, replaced.remove),
            (vec![prompt("pa_1", 2)], vec![prompt("pa_1", 1)])
        );
        let kept = difference(vec![prompt("pa_1", 1)], vec![prompt("pa_1", 1)]);
        assert_eq!(kept, IndexChanges::default());
        let closed = difference(vec![prompt("pa_1", 1)], vec![]);
        assert_eq!(
            (closed.add, closed.remove),
            (vec![], vec![prompt("pa_1", 1)])
        );
    }
}
