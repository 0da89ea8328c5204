//! Sync between offices end to end: a real hub process over HTTPS on loopback, real
//! registers changed and synced by `raccordo-cli`, the credential in a real GNOME
//! Keyring, and curl playing a client nobody here wrote.

mod support;

use std::process::Command;
use support::{Hub, Keyring, Office, Proxy};

const PREFETTURA: &str = "Prefettura di Lucca";

fn agreements(office: &Office) -> Vec<String> {
    office.cli(&["list", "agreements"]).expect_ok().lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect()
}

fn field(office: &Office, id: &str, name: &str) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&office.cli(&["show", "agreement", id]).expect_ok()).unwrap();
    json[name].clone()
}

/// Two installations of the Prefettura joined to `hub`: `a` with the demo register,
/// `b` empty.
fn demo_and_empty<'k>(hub: &Hub, dir: &std::path::Path, keyring: &'k Keyring) -> (Office<'k>, Office<'k>) {
    let a = Office::new(dir, "a", keyring);
    let b = Office::new(dir, "b", keyring);
    a.cli(&["demo"]).expect_ok();
    a.join(hub, PREFETTURA);
    b.join(hub, PREFETTURA);
    (a, b)
}

/// The hub's count of changes, from its own `status`.
fn hub_changes(hub: &Hub) -> u64 {
    let out = String::from_utf8(hub.run(&["status"]).stdout).unwrap();
    let line = out.lines().find(|l| l.contains("modifiche nel registro del hub")).unwrap();
    line.rsplit(' ').next().unwrap().replace('.', "").parse().unwrap()
}

#[test]
fn three_registers_converge_and_a_concurrent_edit_is_one_conflict_resolved_everywhere() {
    let keyring = Keyring::start();
    let hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let a = Office::new(dir.path(), "a", &keyring);
    let b = Office::new(dir.path(), "b", &keyring);
    let c = Office::new(dir.path(), "c", &keyring);
    a.cli(&["demo"]).expect_ok();
    for o in [&a, &b, &c] {
        let said = o.join(&hub, PREFETTURA);
        assert!(said.contains("Collegato al hub"), "{said}");
    }
    assert!(a.cli(&["sync", "status"]).expect_ok().contains("Modifiche da inviare: 9"), "the demo waits to be sent");
    for o in [&a, &b, &c] {
        o.sync();
    }
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(a.snapshot(), c.snapshot());
    let ids = agreements(&b);
    assert_eq!(ids.len(), 2, "the demo's two agreements reached b");

    // Offline, each office changes something; a and b the same field of the same record.
    a.cli(&["set", "agreement", &ids[0], "subject=Oggetto scritto dalla prefettura A"]).expect_ok();
    b.cli(&["set", "agreement", &ids[0], "subject=Oggetto scritto dalla prefettura B"]).expect_ok();
    c.cli(&["set", "agreement", &ids[1], "duration_months:=36"]).expect_ok();
    for o in [&c, &b, &a, &c, &b] {
        o.sync();
    }
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(a.snapshot(), c.snapshot());
    let listed: Vec<Vec<String>> = [&a, &b, &c].iter().map(|o| o.conflicts()).collect();
    assert_eq!(listed[0].len(), 1, "one conflict, listed once: {listed:?}");
    assert_eq!(listed[0], listed[1]);
    assert_eq!(listed[0], listed[2]);
    assert!(listed[0][0].contains("subject"), "{}", listed[0][0]);
    assert_eq!(field(&c, &ids[1], "duration_months"), 36);

    // a keeps its own value; the resolution is a change that syncs like any other.
    let conflict = listed[0][0].split('\t').next().unwrap().to_owned();
    a.cli(&["sync", "resolve", &conflict, "--keep", "mine"]).expect_ok();
    for o in [&a, &b, &c] {
        o.sync();
    }
    for o in [&a, &b, &c] {
        assert!(o.conflicts().is_empty());
        assert_eq!(field(o, &ids[0], "subject"), "Oggetto scritto dalla prefettura A");
        assert!(o.cli(&["audit", "verify"]).expect_ok().starts_with("Registro integro"));
    }
    assert_eq!(a.snapshot(), c.snapshot());

    // Nothing new: a sync sends and applies nothing.
    let quiet = b.sync();
    assert!(quiet.contains("0 modifiche inviate") && quiet.contains("0 modifiche applicate"), "{quiet}");
    let status = b.cli(&["sync", "status"]).expect_ok();
    assert!(status.contains("Modifiche da inviare: 0") && status.contains("Conflitti in attesa: 0"), "{status}");
    let hub_status = String::from_utf8(hub.run(&["status"]).stdout).unwrap();
    assert!(hub_status.contains("- Prefettura di Lucca: 3 installazioni"), "{hub_status}");
}

#[test]
fn bad_codes_credentials_and_certificates_are_refused_with_their_code_and_change_nothing() {
    let keyring = Keyring::start();
    let hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let a = Office::new(dir.path(), "a", &keyring);
    a.cli(&["demo"]).expect_ok();
    let pin = hub.cert.to_str().unwrap();

    let (code, _) = a.cli(&["sync", "join", &hub.url, "AAAAA-BBBBB-CCCCC", "--pin-cert", pin]).expect_err();
    assert_eq!(code, "code_unknown");
    let good = hub.code_for(PREFETTURA);
    // Without the pin, the self-signed certificate is not trusted, and nothing is sent.
    let (code, line) = a.cli(&["sync", "join", &hub.url, &good]).expect_err();
    assert_eq!(code, "tls", "{line}");
    let (code, _) = a.cli(&["sync", "join", &hub.url.replace("https", "http"), &good]).expect_err();
    assert_eq!(code, "bad_request");
    let (code, _) = a.cli(&["sync", "join", "https://127.0.0.1:1", &good, "--pin-cert", pin]).expect_err();
    assert_eq!(code, "unreachable");
    // A code of another office for a register that works for this one.
    let other = hub.code_for("046017");
    let (code, line) = a.cli(&["sync", "join", &hub.url, &other, "--pin-cert", pin]).expect_err();
    assert_eq!(code, "other_office", "{line}");
    assert!(a.cli(&["sync", "status"]).expect_ok().contains("Non collegato"));
    // No keyring in the session (no session bus at all): refused before the hub is
    // asked to enrol, so the one-time code stays good for the next try.
    let out = Command::new(support::cli_bin())
        .args(["--db".as_ref(), a.db.as_os_str()])
        .args(["sync", "join", &hub.url, &good, "--pin-cert", pin])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/raccordo-test-bus")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("keyring") && said.contains("GNOME Keyring"), "{said}");

    a.cli(&["sync", "join", &hub.url, &good, "--pin-cert", pin]).expect_ok();
    let b = Office::new(dir.path(), "b", &keyring);
    let (code, _) = b.cli(&["sync", "join", &hub.url, &good, "--pin-cert", pin]).expect_err();
    assert_eq!(code, "code_used");
    a.sync();
    let held = hub_changes(&hub);
    assert!(held > 0);

    // curl as a client nobody here wrote: each bad request has its code, no panic.
    let curl = |args: &[&str]| -> (u16, serde_json::Value) {
        let out = Command::new("curl")
            .args(["-s", "--cacert", pin, "-o", "-", "-w", "\n%{http_code}"])
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let (body, status) = text.rsplit_once('\n').unwrap();
        (status.parse().unwrap(), serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
    };
    let push = format!("{}/v1/push", hub.url);
    let (status, body) = curl(&["-X", "POST", &push, "-d", "{}"]);
    assert_eq!((status, body["code"].as_str()), (401, Some("credential_missing")));
    let (status, body) = curl(&[
        "-X",
        "POST",
        &push,
        "-H",
        "authorization: Bearer 01a23b54-a18a-71dd-96f2-ef8621cf4f44.nope",
        "-d",
        "{}",
    ]);
    assert_eq!((status, body["code"].as_str()), (401, Some("credential_unknown")));
    let enrol = format!("{}/v1/enrol", hub.url);
    let (status, body) = curl(&["-X", "POST", &enrol, "-H", "raccordo-sha256: 00", "-d", "{\"code\":1}"]);
    assert_eq!((status, body["code"].as_str()), (400, Some("checksum_mismatch")));
    let malformed = "{\"code\": ";
    let sum = raccordo_sync::protocol::sha256_hex(malformed.as_bytes());
    let (status, body) = curl(&["-X", "POST", &enrol, "-H", &format!("raccordo-sha256: {sum}"), "-d", malformed]);
    assert_eq!((status, body["code"].as_str()), (400, Some("bad_request")));
    assert!(body["message"].as_str().unwrap().contains("nulla è stato applicato"));
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 9 << 20]).unwrap();
    let (status, body) = curl(&["-X", "POST", &enrol, "--data-binary", &format!("@{}", big.display())]);
    assert_eq!((status, body["code"].as_str()), (413, Some("body_too_large")));
    let (status, body) = curl(&[&format!("{}/v2/anything", hub.url)]);
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    assert_eq!(hub_changes(&hub), held, "nothing written by the refused requests");

    // A revoked office's installation is refused from its next sync on.
    let out = hub.run(&["office", "revoke", PREFETTURA]);
    assert!(out.status.success());
    let (code, line) = a.cli(&["sync", "run"]).expect_err();
    assert_eq!(code, "credential_revoked", "{line}");
    assert!(
        a.cli(&["sync", "status"]).expect_ok().contains("Ultimo errore: L'ufficio di questo registro è stato revocato")
    );
    assert!(hub.log_text().contains("POST /v1/push 401"), "one log line per request");
}

#[test]
fn a_hub_killed_keeps_what_it_acknowledged_and_a_sigterm_ends_it_cleanly() {
    let keyring = Keyring::start();
    let mut hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = demo_and_empty(&hub, dir.path(), &keyring);
    a.sync();
    let held = hub_changes(&hub);
    let status = hub.signal("-KILL");
    assert!(!status.success());
    hub.serve();
    assert_eq!(hub_changes(&hub), held);
    b.sync();
    assert_eq!(a.snapshot(), b.snapshot());
    let status = hub.signal("-TERM");
    assert!(status.success(), "SIGTERM: a clean exit");
    assert!(hub.log_text().contains("arrestato"));
    // Offline is a normal state: the register stays as it was, and says so.
    let (code, line) = b.cli(&["sync", "run"]).expect_err();
    assert_eq!(code, "unreachable", "{line}");
    assert!(line.contains("riprende da dove si era fermata"));
}

#[test]
fn a_pull_that_would_delete_a_large_part_of_the_register_waits_for_a_person() {
    let keyring = Keyring::start();
    let hub = Hub::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = demo_and_empty(&hub, dir.path(), &keyring);
    a.sync();
    b.sync();
    let first = agreements(&b)[0].clone();
    let said = a.cli(&["delete", "agreement", &first]).expect_ok();
    assert!(said.contains("Eliminati 27 record"), "{said}");
    a.sync();

    let (code, line) = b.cli(&["sync", "run"]).expect_err();
    assert_eq!(code, "deletes_held", "{line}");
    assert!(line.contains("--confirm-deletes"), "{line}");
    assert!(agreements(&b).contains(&first), "nothing deleted before a person confirms");
    assert!(b.cli(&["sync", "status"]).expect_ok().contains("Ultimo errore: Il hub porta l'eliminazione di 27"));
    // Asked again, it waits again.
    assert_eq!(b.cli(&["sync", "run"]).expect_err().0, "deletes_held");

    let said = b.cli(&["sync", "run", "--confirm-deletes"]).expect_ok();
    assert!(said.contains("27 modifiche applicate"), "{said}");
    assert!(!agreements(&b).contains(&first));
    assert_eq!(a.snapshot(), b.snapshot());
    assert!(!b.cli(&["sync", "status"]).expect_ok().contains("Ultimo errore"));
}

#[test]
fn connections_cut_at_random_bytes_resume_and_converge_with_nothing_applied_twice() {
    let keyring = Keyring::start();
    let hub = Hub::start(&["--max-batch", "7"]);
    let proxy = Proxy::start(hub.port);
    let dir = tempfile::tempdir().unwrap();
    let a = Office::new(dir.path(), "a", &keyring);
    let b = Office::new(dir.path(), "b", &keyring);
    a.cli(&["demo"]).expect_ok();
    for o in [&a, &b] {
        let code = hub.code_for(PREFETTURA);
        o.cli(&["sync", "join", &proxy.url, &code, "--pin-cert", hub.cert.to_str().unwrap()]).expect_ok();
    }
    // Pseudo-random cut points, from a seed the failure message shows.
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut state = seed | 1;
    let mut next = move |range: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % range
    };
    let mut failures = 0;
    for round in 0..12 {
        // Both sides change something, then sync through connections cut anywhere.
        a.cli(&["set", "agreement", &agreements(&a)[0], &format!("subject=Oggetto, giro {round} di A")]).expect_ok();
        for o in [&a, &b] {
            proxy.cut_after(Some(200 + next(12_000)));
            if !o.cli(&["sync", "run"]).ok {
                failures += 1;
            }
        }
    }
    proxy.cut_after(None);
    for o in [&a, &b, &a] {
        o.sync();
    }
    let cuts = proxy.cuts.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("seed {seed}: {cuts} cuts, {failures} failed runs");
    assert!(
        cuts > 0 && failures > 0,
        "seed {seed}: the proxy must have cut something ({cuts} cuts, {failures} failed runs)"
    );
    assert_eq!(a.snapshot(), b.snapshot(), "seed {seed}");
    for o in [&a, &b] {
        assert!(o.cli(&["audit", "verify"]).expect_ok().starts_with("Registro integro"), "seed {seed}");
        assert!(o.conflicts().is_empty(), "seed {seed}");
    }
    assert_eq!(field(&b, &agreements(&b)[0], "subject"), "Oggetto, giro 11 di A");
    let quiet = b.sync();
    assert!(quiet.contains("0 modifiche inviate") && quiet.contains("0 modifiche applicate"), "seed {seed}: {quiet}");
}

#[test]
fn a_hub_killed_in_the_middle_of_a_sync_loses_nothing_and_the_sync_resumes() {
    let keyring = Keyring::start();
    let mut hub = Hub::start(&["--max-batch", "3"]);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = demo_and_empty(&hub, dir.path(), &keyring);
    a.sync();
    // b pulls the demo three changes at a time; the hub dies under it after its first pulls.
    let pulls_before = hub.log_text().matches("GET /v1/pull").count();
    let run = b.spawn(&["sync", "run"]);
    let started = std::time::Instant::now();
    while hub.log_text().matches("GET /v1/pull").count() < pulls_before + 3 {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "b never pulled");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(!hub.signal("-KILL").success());
    let out = run.wait_with_output().unwrap();
    assert!(!out.status.success(), "b's run was cut: {}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stderr).contains("errore [unreachable]"));
    assert_ne!(a.snapshot(), b.snapshot(), "cut in the middle");

    hub.serve();
    b.sync();
    assert_eq!(a.snapshot(), b.snapshot());
    assert!(b.cli(&["audit", "verify"]).expect_ok().starts_with("Registro integro"));
    let quiet = b.sync();
    assert!(quiet.contains("0 modifiche applicate"), "{quiet}");
}
