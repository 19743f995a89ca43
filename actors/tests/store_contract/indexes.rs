//! The index store's contract. Rows are written only by saga writes, so each case writes
//! through the saga store and reads through the index store.

use onboard_actors::store::{
    IndexChanges, IndexMember, InsertOutcome, StoreError, Stores, TimerChange,
};
use onboard_workflows::SagaStatus;

use crate::fixtures::{insert, row, running_saga, step};

const ACCOUNT: &str = "prompts:pa 1";

fn member(member: &str, saga_id: &str) -> IndexMember {
    IndexMember {
        member: member.into(),
        saga_id: saga_id.into(),
    }
}

async fn members(stores: &Stores, index: &str) -> Vec<IndexMember> {
    stores.indexes.members(index).await.expect("members")
}

pub async fn rows_come_and_go_with_saga_writes(stores: Stores) {
    let mut saga = running_saga("s1", 1_000);
    saga.index = vec![row(ACCOUNT, "p-1"), row("owners:bank-1", "s1")];
    insert(&stores.sagas, &saga).await;
    assert_eq!(members(&stores, ACCOUNT).await, [member("p-1", "s1")]);

    let mut replace = step("s1", 1, SagaStatus::Waiting, TimerChange::Keep);
    replace.index = IndexChanges {
        add: vec![row(ACCOUNT, "p-2")],
        remove: vec![row(ACCOUNT, "p-1")],
    };
    stores.sagas.commit(&replace).await.expect("commit");
    assert_eq!(members(&stores, ACCOUNT).await, [member("p-2", "s1")]);

    let mut close = step("s1", 2, SagaStatus::Completed, TimerChange::Keep);
    close.index.remove = vec![row(ACCOUNT, "p-2"), row(ACCOUNT, "never there")];
    stores.sagas.commit(&close).await.expect("commit");
    assert!(members(&stores, ACCOUNT).await.is_empty());
    assert_eq!(
        members(&stores, "owners:bank-1").await,
        [member("s1", "s1")]
    );
}

pub async fn refused_writes_change_no_rows(stores: Stores) {
    let mut saga = running_saga("s1", 1_000);
    saga.index = vec![row(ACCOUNT, "p-1")];
    insert(&stores.sagas, &saga).await;

    let mut again = running_saga("s1", 2_000);
    again.index = vec![row(ACCOUNT, "p-other")];
    assert_eq!(
        stores.sagas.insert(&again).await.expect("insert"),
        InsertOutcome::AlreadyExists
    );
    let mut stale = step("s1", 7, SagaStatus::Completed, TimerChange::Keep);
    stale.index = IndexChanges {
        add: vec![row(ACCOUNT, "p-2")],
        remove: vec![row(ACCOUNT, "p-1")],
    };
    assert!(matches!(
        stores.sagas.commit(&stale).await,
        Err(StoreError::VersionConflict { .. })
    ));
    let mut ghost = step("ghost", 1, SagaStatus::Running, TimerChange::Keep);
    ghost.index.add = vec![row(ACCOUNT, "p-ghost")];
    assert!(matches!(
        stores.sagas.commit(&ghost).await,
        Err(StoreError::NotFound(_))
    ));

    assert_eq!(members(&stores, ACCOUNT).await, [member("p-1", "s1")]);
}

/// Enough sagas that their rows of one index are spread over every partition.
pub async fn members_point_at_their_sagas(stores: Stores) {
    for i in (0..24).rev() {
        let id = format!("saga-{i:02}");
        let mut saga = running_saga(&id, 1_000 + i);
        saga.index = vec![row("prompts:pa", &format!("p-{i:02}"))];
        if i % 8 == 0 {
            saga.index.push(row("prompts:pa:b", &id));
        }
        insert(&stores.sagas, &saga).await;
    }
    let expected: Vec<IndexMember> = (0..24)
        .map(|i| member(&format!("p-{i:02}"), &format!("saga-{i:02}")))
        .collect();
    assert_eq!(members(&stores, "prompts:pa").await, expected);
    assert_eq!(
        members(&stores, "prompts:pa:b").await,
        [
            member("saga-00", "saga-00"),
            member("saga-08", "saga-08"),
            member("saga-16", "saga-16"),
        ]
    );
    assert!(members(&stores, "prompts:p").await.is_empty());
}
