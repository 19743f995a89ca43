//! The key pin store's contract: the first pin stays until it is replaced on purpose.

use std::sync::Arc;

use onboard_actors::store::KeyPinStore;

/// A fresh, empty key pin store of either backend.
type Pins = Arc<dyn KeyPinStore>;

pub async fn the_first_pin_is_kept(store: Pins) {
    assert_eq!(store.pin("hmac_key", "fp-1").await.expect("pin"), "fp-1");
    assert_eq!(store.pin("hmac_key", "fp-1").await.expect("pin"), "fp-1");
    assert_eq!(store.pin("hmac_key", "fp-2").await.expect("pin"), "fp-1");
    assert_eq!(store.pin("other", "fp-2").await.expect("pin"), "fp-2");
}

pub async fn a_replaced_pin_is_kept_from_then_on(store: Pins) {
    store
        .replace_pin("hmac_key", "fp-0")
        .await
        .expect("replace");
    assert_eq!(store.pin("hmac_key", "fp-1").await.expect("pin"), "fp-0");
    store.pin("other", "fp-9").await.expect("pin");
    store
        .replace_pin("hmac_key", "fp-2")
        .await
        .expect("replace");
    assert_eq!(store.pin("hmac_key", "fp-1").await.expect("pin"), "fp-2");
    assert_eq!(store.pin("other", "fp-1").await.expect("pin"), "fp-9");
}

pub async fn concurrent_first_pins_agree_on_one(store: Pins) {
    let pins = (0..8).map(|n| {
        let store = store.clone();
        tokio::spawn(async move { store.pin("hmac_key", &format!("fp-{n}")).await })
    });
    let mut pinned = Vec::new();
    for pin in pins {
        pinned.push(pin.await.expect("task").expect("pin"));
    }
    assert!(pinned.iter().all(|pin| pin == &pinned[0]), "{pinned:?}");
}
