//! Purging deleted records on a real hub: nothing goes before every installation that
//! could hold it has pulled the delete, a revoked installation keeps the delete on the
//! hub (it can be let back in), and a new installation gets nothing of what was purged.
//! The hub's and the registers' files are read with `sqlite3`, not through Raccordo.

mod support;

use std::path::Path;
use std::process::Command;
use support::{Hub, Keyring, Office};

const PREFETTURA: &str = "Prefettura di Lucca";
const PROVINCIA: &str = "Provincia di Lucca";
const COMUNE: &str = "Comune di Lucca";

fn sqlite(db: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(db).arg(sql).output().unwrap();
    assert!(out.status.success(), "sqlite3 {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The hub's log entries of `record`: `(op, body length)`, in order.
fn log_of(hub: &Hub, record: &str) -> Vec<(String, u64)> {
    sqlite(
        &hub.dir.path().join("hub.sqlite"),
        &format!("SELECT op, length(body) FROM change WHERE record_id = '{record}' ORDER BY seq"),
    )
    .lines()
    .map(|l| {
        let (op, len) = l.split_once('|').unwrap();
        (op.to_owned(), len.parse().unwrap())
    })
    .collect()
}

fn purge(hub: &Hub) -> String {
    let out = hub.run(&["purge"]);
    assert!(out.status.success(), "purge: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A register's ids are 16 bytes.
fn blob(id: &str) -> String {
    format!("X'{}'", id.replace('-', ""))
}

fn journal_ops(office: &Office, record: &str) -> String {
    sqlite(&office.db, &format!("SELECT group_concat(op, ',') FROM journal WHERE record_id = {}", blob(record)))
}

#[test]
fn a_deleted_agreement_is_purged_only_once_every_installation_has_pulled_its_delete() {
    let keyring = Keyring::start();
    // Purges only when the test says (`raccordo-hub purge`, beside the running hub).
    let hub = Hub::start(&["--purge-every-min", "0"]);
    let dir = tempfile::tempdir().unwrap();
    let (a, b, d) = (
        Office::new(dir.path(), "prefettura", &keyring),
        Office::new(dir.path(), "provincia", &keyring),
        Office::new(dir.path(), "comune", &keyring),
    );
    for (o, who) in [(&a, PREFETTURA), (&b, PROVINCIA), (&d, COMUNE)] {
        o.cli(&["list", "agreements"]).expect_ok();
        o.join(&hub, who);
    }
    let agreement = a.add_agreement("P/1", "Protocollo da eliminare");
    a.cli(&["share", "P/1", "rete"]).expect_ok();
    for o in [&a, &b, &d] {
        o.sync();
    }
    assert!(d.cli(&["show", "agreement", &agreement]).ok, "the Comune reads an agreement shared with the whole hub");

    // The Comune is revoked: it holds the agreement and cannot hear of its delete.
    let revoked = hub.run(&["office", "revoke", COMUNE]);
    assert!(revoked.status.success());
    a.cli(&["delete", "agreement", &agreement]).expect_ok();
    a.sync();
    let said = purge(&hub);
    assert!(said.contains("Record eliminati in attesa: 1") && said.contains(PROVINCIA), "{said}");
    assert!(log_of(&hub, &agreement).iter().all(|(op, len)| op != "purged" && *len > 0), "nothing purged yet");

    // The Provincia pulls the delete; each installation acknowledges the log when it
    // next asks after it, so one more sync each.
    b.sync();
    assert!(!b.cli(&["show", "agreement", &agreement]).ok);
    a.sync();
    b.sync();
    let said = purge(&hub);
    assert!(said.contains("tolta la storia: 1\n") && said.contains("compresa: 0\n"), "{said}");
    let log = log_of(&hub, &agreement);
    let ops: Vec<&str> = log.iter().map(|(op, _)| op.as_str()).collect();
    assert_eq!(ops.last(), Some(&"delete"), "the delete stays for the revoked Comune: {log:?}");
    assert!(log[..log.len() - 1].iter().all(|(op, len)| op == "purged" && *len == 0), "{log:?}");
    let status = String::from_utf8(hub.run(&["status"]).stdout).unwrap();
    assert!(status.contains("Record eliminati in attesa di pulizia: 0"), "{status}");

    // A new installation of the Prefettura: only the tombstone reaches it.
    let c = Office::new(dir.path(), "prefettura-2", &keyring);
    c.cli(&["list", "agreements"]).expect_ok();
    c.join(&hub, PREFETTURA);
    c.sync();
    assert!(!c.cli(&["show", "agreement", &agreement]).ok);
    assert_eq!(journal_ops(&c, &agreement), "delete");
    assert_eq!(sqlite(&c.db, &format!("SELECT count(*) FROM tombstone WHERE record_id = {}", blob(&agreement))), "1");

    // The Comune is let back in: it resumes from its old cursor and gets the delete.
    hub.code_for(COMUNE);
    d.sync();
    assert!(!d.cli(&["show", "agreement", &agreement]).ok, "the agreement deleted meanwhile is gone at the Comune too");
    for o in [&d, &a, &b, &c, &d] {
        o.sync();
    }
    let said = purge(&hub);
    assert!(said.contains("compresa: 1\n"), "{said}");
    assert!(log_of(&hub, &agreement).iter().all(|(op, len)| op == "purged" && *len == 0));

    // A third installation gets nothing of it, and every register agrees.
    let e = Office::new(dir.path(), "prefettura-3", &keyring);
    e.cli(&["list", "agreements"]).expect_ok();
    e.join(&hub, PREFETTURA);
    e.sync();
    assert_eq!(journal_ops(&e, &agreement), "");
    assert_eq!(a.snapshot(), e.snapshot());
    for o in [&b, &c, &d] {
        assert_eq!(o.cli(&["list", "agreements"]).expect_ok(), e.cli(&["list", "agreements"]).expect_ok());
    }
}
