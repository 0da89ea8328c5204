//! Signed files as they come back from the signatories, made here: a certification
//! authority and a signer's certificate made by the test (RSA 2048), a CAdES `.p7m`
//! around the minutes, and a PAdES signature added to the minutes as an incremental
//! update, the way signing tools do. Each verifies; with one byte changed, it does not.

use chrono::NaiveDate;
use raccordo_documents::signed::{self, Container};
use raccordo_documents::{Documents, Request};
use raccordo_register::{Meeting, Register};
use sha2::{Digest, Sha256};

#[path = "support/signing.rs"]
mod signing;
use signing::{find, pades, sign};

/// The minutes of the demo's first meeting, as Raccordo prints them.
fn minutes_pdf() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    raccordo_demo::build_demo(&mut reg, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    let m: Vec<Meeting> = reg.reader().select("SELECT * FROM meeting ORDER BY date LIMIT 1", []).unwrap();
    let at = "2026-11-24T09:30:00Z".parse().unwrap();
    Documents::new(None).make(&reg, &Request::Minutes { meeting_id: m[0].id }, at).unwrap().pdf
}

#[test]
fn cades_p7m_verifies_and_a_changed_byte_does_not() {
    let pdf = minutes_pdf();
    let p7m = sign(Some(&pdf), None);
    std::fs::write(output_dir().join("verbale-firmato.pdf.p7m"), &p7m).unwrap();
    let report = signed::check(&p7m).unwrap();
    assert_eq!(report.container, Container::Cades);
    assert!(report.all_intact, "{report:#?}");
    assert_eq!(report.signatures.len(), 1);
    let s = &report.signatures[0];
    assert_eq!(s.signer, "Mario Rossi");
    assert_eq!(s.organization.as_deref(), Some("Comune di Lucca"));
    assert!(s.signing_time.is_some());
    assert!(s.issuer.contains("Raccordo CA di prova"), "{}", s.issuer);
    assert_eq!(report.content_sha256.as_deref(), Some(raccordo_documents::agid::hex(&Sha256::digest(&pdf)).as_str()));
    assert!(report.trust_note.contains("non verificata"));

    // One byte of the signed minutes changed inside the envelope.
    let mut bad = p7m.clone();
    let at = find(&bad, b"Verbale della seduta");
    bad[at] ^= 0x01;
    let report = signed::check(&bad).unwrap();
    assert!(!report.all_intact);
    assert!(!report.signatures[0].intact);
    assert!(report.signatures[0].outcome.contains("NON valida"), "{}", report.signatures[0].outcome);
    assert!(report.summary.contains("NON corrispondono"), "{}", report.summary);
}

#[test]
fn pades_verifies_and_a_changed_byte_does_not() {
    let signed_pdf = pades(&minutes_pdf());
    let path = output_dir().join("verbale-firmato-pades.pdf");
    std::fs::write(&path, &signed_pdf).unwrap();
    let qpdf = std::process::Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    assert!(qpdf.status.success(), "qpdf: {}", String::from_utf8_lossy(&qpdf.stdout));

    let report = signed::check(&signed_pdf).unwrap();
    assert_eq!(report.container, Container::Pades);
    assert!(report.all_intact, "{report:#?}");
    let s = &report.signatures[0];
    assert_eq!(s.signer, "Mario Rossi");
    assert_eq!(s.covers_whole_file, Some(true));
    assert_eq!(s.signing_time.unwrap().to_rfc3339(), "2026-11-24T09:30:00+00:00");

    // A byte of the page changed after signing.
    let mut bad = signed_pdf.clone();
    let at = find(&bad, b"/MediaBox");
    bad[at + 1] = b'm';
    let report = signed::check(&bad).unwrap();
    assert!(!report.all_intact && !report.signatures[0].intact, "{report:#?}");

    // Something appended after the signature: intact, but the file changed since.
    let mut appended = signed_pdf.clone();
    appended.extend_from_slice(b"% aggiunta\n");
    let report = signed::check(&appended).unwrap();
    assert!(report.signatures[0].intact && !report.all_intact);
    assert!(report.summary.contains("modificato dopo l'ultima firma"), "{}", report.summary);
}

#[test]
fn a_p7m_without_the_document_says_so() {
    let detached = sign(None, Some(&Sha256::digest(b"x")));
    let e = signed::check(&detached).unwrap_err();
    assert_eq!(e.code_str(), "signature");
    assert!(e.message.contains("detached"), "{}", e.message);
}

fn output_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
