//! `signed check` and `trust import` as an office uses them on what came by PEC: the
//! real binary, a trusted list signed by `xmlsec1`, envelopes by OpenSSL. The exit
//! status says whether every signature is intact and its signer verified.

use std::path::Path;
use std::process::{Command, Output};

#[path = "../../raccordo-documents/tests/support/pki.rs"]
mod pki;

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raccordo-cli")).arg("--db").arg(db).args(args).output().expect("run raccordo-cli")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn signed_check_exit_status_follows_integrity_and_trust() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ufficio.raccordo");
    let pki = pki::Pki::new();
    let next = (chrono::Utc::now() + chrono::Duration::days(90)).to_rfc3339();
    let tl = dir.path().join("IT_TL.xml");
    std::fs::write(&tl, pki.trusted_list(5, "2016-07-01T00:00:00Z", &next)).unwrap();
    let good = dir.path().join("protocollo.pdf.p7m");
    std::fs::write(&good, pki.cades("rossi", b"%PDF-1.7\n% protocollo\n", &["-certfile", "ca.pem"])).unwrap();
    let good = good.to_str().unwrap();

    // No list yet: intact, signer not verified, exit 2.
    let o = cli(&db, &["signed", "check", good]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("Firma 1: Mario Rossi"), "{}", text(&o));
    assert!(text(&o).contains("Firmatario non verificato"), "{}", text(&o));

    // Importing the list asks for its signer's fingerprint, printed in the refusal.
    let o = cli(&db, &["trust", "import", tl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let refusal = text(&o);
    assert!(refusal.contains("errore [trust_list]"), "{refusal}");
    let at = refusal.find("impronta SHA-256 ").unwrap() + "impronta SHA-256 ".len();
    let fingerprint = &refusal[at..at + 64];
    let o = cli(&db, &["trust", "import", tl.to_str().unwrap(), "--signer-sha256", fingerprint]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Elenco di fiducia IT n. 5"), "{}", text(&o));
    let o = cli(&db, &["trust", "show"]);
    assert!(o.status.success() && text(&o).contains(fingerprint), "{}", text(&o));

    // With the list: verified, exit 0.
    let o = cli(&db, &["signed", "check", good]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("firmatari verificati"), "{}", text(&o));
    // A forger's certificate: exit 2; a changed byte: exit 3; not a signed file: 1.
    let forged = dir.path().join("falso.p7m");
    std::fs::write(&forged, pki.cades("forged", b"%PDF-1.7\n% protocollo\n", &["-certfile", "forger-ca.pem"])).unwrap();
    assert_eq!(cli(&db, &["signed", "check", forged.to_str().unwrap()]).status.code(), Some(2));
    let mut bytes = std::fs::read(good).unwrap();
    let at = bytes.windows(10).position(|w| w == b"protocollo").unwrap();
    bytes[at] ^= 1;
    let changed = dir.path().join("alterato.p7m");
    std::fs::write(&changed, bytes).unwrap();
    let o = cli(&db, &["signed", "check", changed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("NON valida"), "{}", text(&o));
    let o = cli(&db, &["signed", "check", tl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // `--trust FILE` checks against a list file without importing it.
    let other = dir.path().join("altro.raccordo");
    assert_eq!(cli(&other, &["signed", "check", good, "--trust", tl.to_str().unwrap()]).status.code(), Some(0));
}
