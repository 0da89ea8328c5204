//! The link the window keeps between syncs (`client::Syncer`), in this process against
//! a real hub: `hello` and the keyring once, not at every sync, and another hub that
//! answers at the same address afterwards is refused at its first answer.

mod support;

use raccordo_register::{Agreement, Register};
use raccordo_sync::client::{self, RunOptions, Syncer};
use support::{Hub, Keyring};

fn hellos(hub: &Hub) -> usize {
    hub.log_text().lines().filter(|l| l.contains("GET /v1/hello")).count()
}

#[test]
fn a_kept_link_says_hello_once_and_refuses_another_hub_at_the_same_address() {
    let keyring = Keyring::start();
    // The only test of this binary: the keyring's bus for the client in this process.
    unsafe { std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &keyring.address) };
    let mut hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("prefettura.db")).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let pin = raccordo_sync::client::tls::fingerprint_of_pem(&std::fs::read_to_string(&hub.cert).unwrap()).unwrap();
    let code = hub.code_for("Prefettura di Lucca");
    rt.block_on(client::join(&mut reg, &hub.url, &code, Some(&pin))).unwrap();
    let after_join = hellos(&hub);

    let mut kept = Syncer::default();
    for i in 0..4 {
        reg.write(|w| w.create(Agreement::draft(&format!("K/{i}"), "Protocollo per la rete dei servizi")).map(|_| ()))
            .unwrap();
        let done = rt.block_on(kept.run(&mut reg, RunOptions::default(), |_| {})).unwrap();
        assert_eq!(done.pushed, 1);
    }
    assert_eq!(hellos(&hub) - after_join, 1, "one hello for four syncs on the kept link:\n{}", hub.log_text());

    // Another hub at the same address, with the same certificate (its key moved to a
    // new hub, say): the kept link reconnects, the pin holds, the hub's id does not.
    let port = hub.port;
    hub.signal("-TERM");
    let mut other = Hub::start(&[]);
    other.signal("-TERM");
    for f in ["cert.pem", "key.pem"] {
        std::fs::copy(hub.dir.path().join(f), other.dir.path().join(f)).unwrap();
    }
    other.port = port;
    other.serve();
    let peer_before = reg.peer().unwrap();
    let err = rt.block_on(kept.run(&mut reg, RunOptions::default(), |_| {})).unwrap_err();
    assert_eq!(err.code, "bad_request", "{err:?}");
    assert!(err.message.contains("risponde un altro hub"), "{}", err.message);
    let peer_after = reg.peer().unwrap().unwrap();
    let before = peer_before.unwrap();
    assert_eq!(
        (peer_after.pushed_seq, peer_after.pulled_seq, &peer_after.pulled_link),
        (before.pushed_seq, before.pulled_seq, &before.pulled_link),
        "nothing moved"
    );
    assert_eq!(peer_after.last_error.as_deref(), Some(err.message.as_str()));
}
