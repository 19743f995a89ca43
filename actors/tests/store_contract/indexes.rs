//! The index store's contract: members added, added twice, removed, kept apart per index.

use std::sync::Arc;

use onboard_actors::store::IndexStore;

/// A fresh, empty index store of either backend.
type Indexes = Arc<dyn IndexStore>;

pub async fn add_remove_members(store: Indexes) {
    let index = "owner:bank 1/accounts";
    store.add(index, "b").await.expect("add");
    store.add(index, "a").await.expect("add");
    store.add(index, "a").await.expect("add twice");
    store.add("owner:bank 1", "other").await.expect("add");
    let mut members = store.members(index).await.expect("members");
    members.sort();
    assert_eq!(members, ["a", "b"]);
    store.remove(index, "a").await.expect("remove");
    store
        .remove(index, "never there")
        .await
        .expect("remove absent");
    assert_eq!(store.members(index).await.expect("members"), ["b"]);
    assert_eq!(
        store.members("owner:bank 1").await.expect("members"),
        ["other"]
    );
    assert!(store.members("empty").await.expect("members").is_empty());
}
