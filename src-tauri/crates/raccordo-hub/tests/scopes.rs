//! Sharing scopes end to end: a real hub, three offices' registers driven by
//! `raccordo-cli`, the hub's own file read byte by byte and a register's file changed
//! with `sqlite3`, tools that are not Raccordo.

mod support;

use support::{Hub, Keyring, Office};

const PREFETTURA: &str = "Prefettura di Lucca";
const PROVINCIA: &str = "Provincia di Lucca";
const COMUNE: &str = "Comune di Lucca";

/// An agreement with a party (the other administration) whose contact is a new person.
fn agreement(office: &Office, number: &str, party: &str, contact: &str) -> (String, String) {
    let a = office.add_agreement(number, &format!("Protocollo {number}"));
    let person = office
        .cli(&["add", "person", &format!("given_name={contact}"), "family_name=Rossi"])
        .expect_ok()
        .trim()
        .to_owned();
    office
        .cli(&[
            "add",
            "party",
            &format!("agreement_id={a}"),
            &format!("administration_id={party}"),
            "role=promotore",
            &format!("contact_person_id={person}"),
        ])
        .expect_ok();
    (a, person)
}

fn holds(office: &Office, kind: &str, id: &str) -> bool {
    office.cli(&["show", kind, id]).ok
}

fn subject(office: &Office, id: &str) -> String {
    let json: serde_json::Value = serde_json::from_str(&office.cli(&["show", "agreement", id]).expect_ok()).unwrap();
    json["subject"].as_str().unwrap().to_owned()
}

/// Whether `text` is anywhere in the hub's files, read as bytes (the database and its
/// write-ahead log), not through the hub.
fn hub_files_contain(hub: &Hub, text: &str) -> bool {
    std::fs::read_dir(hub.dir.path()).unwrap().flatten().any(|e| {
        let bytes = std::fs::read(e.path()).unwrap_or_default();
        let found = bytes.windows(text.len()).any(|w| w == text.as_bytes());
        if found {
            let at = bytes.windows(text.len()).position(|w| w == text.as_bytes()).unwrap();
            eprintln!(
                "{text} found in {}: {}",
                e.path().display(),
                String::from_utf8_lossy(&bytes[at.saturating_sub(300)..(at + 300).min(bytes.len())])
            );
        }
        found
    })
}

#[test]
fn each_office_receives_only_what_its_scope_shares_and_a_narrowed_scope_stops_it() {
    let keyring = Keyring::start();
    let hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        Office::new(dir.path(), "prefettura", &keyring),
        Office::new(dir.path(), "provincia", &keyring),
        Office::new(dir.path(), "comune", &keyring),
    );
    for (o, who) in [(&a, PREFETTURA), (&b, PROVINCIA), (&c, COMUNE)] {
        o.cli(&["list", "agreements"]).expect_ok();
        o.join(&hub, who);
    }
    let provincia = a.administration(PROVINCIA);
    let prefettura = a.administration(PREFETTURA);
    // T/1: shared with its parties (the default); T/2 private; T/3 the prefettura's alone.
    let (t1, mario) = agreement(&a, "T/1", &provincia, "Mario");
    let (t2, lucia) = agreement(&a, "T/2", &provincia, "Lucia");
    a.cli(&["share", "T/2", "privato"]).expect_ok();
    let (t3, _) = agreement(&a, "T/3", &prefettura, "Anna");
    for o in [&a, &b, &c] {
        o.sync();
    }
    assert!(
        holds(&b, "agreement", &t1) && holds(&b, "person", &mario),
        "a party's office receives it, and its contact"
    );
    assert!(!holds(&b, "agreement", &t2) && !holds(&b, "person", &lucia), "privato stays on the PC");
    assert!(!holds(&b, "agreement", &t3), "not a party: not received");
    assert!(!holds(&c, "agreement", &t1) && !holds(&c, "person", &mario), "an office outside the scope gets nothing");
    // Nothing of the private agreement left the PC: not its id, its number or its contact.
    for text in [t2.as_str(), "T/2", lucia.as_str()] {
        assert!(!hub_files_contain(&hub, text), "{text} reached the hub");
    }
    assert!(hub_files_contain(&hub, &t1));

    // Files go by SHA-256 where their attachment goes, in parts (this one takes two).
    let big: Vec<u8> = (0..5_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let private_file: Vec<u8> = b"%PDF-1.7 solo in prefettura".to_vec();
    let (shared_path, private_path) = (dir.path().join("convenzione.pdf"), dir.path().join("riservato.pdf"));
    std::fs::write(&shared_path, &big).unwrap();
    std::fs::write(&private_path, &private_file).unwrap();
    a.cli(&["attach", "agreement", &t1, shared_path.to_str().unwrap()]).expect_ok();
    a.cli(&["attach", "agreement", &t2, private_path.to_str().unwrap()]).expect_ok();
    let said = a.sync();
    assert!(said.contains("File degli allegati: 1 inviato"), "{said}");
    let said = b.sync();
    assert!(said.contains("1 ricevuto"), "{said}");
    c.sync();
    let sha = raccordo_sync::protocol::sha256_hex(&big);
    let blob_of = |o: &Office| -> Option<Vec<u8>> {
        let conn = rusqlite::Connection::open(&o.db).unwrap();
        conn.query_row("SELECT bytes FROM blob WHERE sha256 = ?1", [&sha], |r| r.get(0)).ok()
    };
    assert_eq!(blob_of(&b).as_deref(), Some(big.as_slice()), "the provincia has the file, byte for byte");
    assert!(blob_of(&c).is_none(), "the comune does not");
    assert!(hub.dir.path().join("blobs").join(&sha).exists());
    let private_sha = raccordo_sync::protocol::sha256_hex(&private_file);
    assert!(
        !hub.dir.path().join("blobs").join(&private_sha).exists() && !hub_files_contain(&hub, "solo in prefettura")
    );

    // Widened to the whole network: the comune receives T/3 with its history.
    let said = a.cli(&["share", "T/3", "rete"]).expect_ok();
    assert!(said.contains("«Rete»") && said.contains("tutti gli uffici"), "{said}");
    a.sync();
    c.sync();
    b.sync();
    assert!(holds(&c, "agreement", &t3) && holds(&b, "agreement", &t3));
    assert_eq!(subject(&c, &t3), "Protocollo T/3");

    // Only the office that registered an agreement decides its scope.
    let (code, line) = b.cli(&["share", &t1, "rete"]).expect_err();
    assert_eq!(code, "validation", "{line}");
    assert!(line.contains("solo l'ufficio che ha registrato"), "{line}");

    // The private one made shared: its whole history goes, from the first change.
    a.cli(&["share", "T/2", "parti"]).expect_ok();
    a.sync();
    b.sync();
    assert!(holds(&b, "agreement", &t2) && holds(&b, "person", &lucia));

    // Narrowed: T/1 private again. The provincia keeps its copy, read-only, told so,
    // and receives nothing further.
    a.cli(&["share", "T/1", "privato"]).expect_ok();
    a.sync();
    let said = b.sync();
    assert!(said.contains("non più condivisi"), "{said}");
    let status = b.cli(&["sync", "status"]).expect_ok();
    assert!(status.contains("Non più condivisi con questo ufficio") && status.contains("T/1"), "{status}");
    a.cli(&["set", "agreement", &t1, "subject=Detto solo in prefettura"]).expect_ok();
    a.sync();
    b.sync();
    assert_eq!(subject(&b, &t1), "Protocollo T/1", "nothing further reaches the provincia");
    assert!(!hub_files_contain(&hub, "Detto solo in prefettura"));

    // The provincia's copy is read-only: an edit of it, or a party added under it, is
    // refused with the reason, and nothing changes.
    let (code, line) = b.cli(&["set", "agreement", &t1, "subject=Detto in provincia"]).expect_err();
    assert_eq!(code, "unshared", "{line}");
    assert!(line.contains("non più condiviso con questo ufficio") && line.contains("sola lettura"), "{line}");
    let party = format!("administration_id={prefettura}");
    let (code, _) = b.cli(&["add", "party", &format!("agreement_id={t1}"), &party, "role=aderente"]).expect_err();
    assert_eq!(code, "unshared");
    assert_eq!(subject(&b, &t1), "Protocollo T/1");
    b.sync();

    // A client that does not withhold (the note removed behind Raccordo's back, with
    // sqlite3, then the copy edited) is refused by the hub itself: out_of_scope,
    // nothing written.
    let out = std::process::Command::new("sqlite3")
        .arg(&b.db)
        .arg("DELETE FROM sync_unshared; DELETE FROM sync_withheld;")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    b.cli(&["set", "agreement", &t1, "subject=Detto in provincia"]).expect_ok();
    let (code, line) = b.cli(&["sync", "run"]).expect_err();
    assert_eq!(code, "out_of_scope", "{line}");
    assert!(!hub_files_contain(&hub, "Detto in provincia"));
}
