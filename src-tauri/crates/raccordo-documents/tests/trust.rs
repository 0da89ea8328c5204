//! Trust in the signers, against files made by tools nobody here wrote: a trusted list
//! in the EU format signed by `xmlsec1`, CAdES envelopes by OpenSSL `cms -sign`, PAdES
//! signatures by pyHanko, certificates and a revocation list by OpenSSL
//! (`support/pki.rs`). A genuine signer of the listed CA is verified; a forger whose
//! CA copies that CA's name, a revoked signer, a key not meant for legal signatures,
//! a service not granted at the signing time and an expired list are each refused
//! with their reason, and never shown as verified.

use chrono::{Duration, Utc};
use raccordo_documents::signed::{self, Container, SignedFile};
use raccordo_documents::trust::TrustedList;

#[path = "support/pki.rs"]
mod pki;
#[path = "support/printed.rs"]
mod printed;
use pki::Pki;
use printed::minutes_pdf;

const DOCUMENT: &[u8] = b"%PDF-1.7\n% Protocollo d'intesa 2007/12, come Raccordo lo ha stampato\n";

fn soon() -> String {
    (Utc::now() + Duration::days(180)).to_rfc3339()
}

fn list(pki: &Pki) -> TrustedList {
    TrustedList::parse(&pki.trusted_list(7, "2016-07-01T00:00:00Z", &soon())).unwrap()
}

fn only(report: &SignedFile) -> &signed::SignatureCheck {
    assert_eq!(report.signatures.len(), 1, "{report:#?}");
    &report.signatures[0]
}

#[test]
fn trusted_list_signed_by_xmlsec1_is_read_and_any_change_refused() {
    let pki = Pki::new();
    let xml = pki.trusted_list(7, "2016-07-01T00:00:00Z", &soon());
    let l = TrustedList::parse(&xml).unwrap();
    assert_eq!((l.summary.territory.as_str(), l.summary.sequence), ("IT", 7));
    assert_eq!(l.summary.operator, "Agenzia di prova per l'Italia digitale");
    assert_eq!((l.summary.providers, l.summary.qualified_cas), (1, 1));
    assert!(l.summary.signer.contains("Firmatario elenco di prova"), "{}", l.summary.signer);
    assert_eq!(l.summary.signer_sha256.len(), 64);

    let text = String::from_utf8(xml).unwrap();
    // A provider's name changed after signing: the digest no longer matches.
    let changed = text.replace("Certificatore di prova S.p.A.</tsl:Name>", "Certificatore falso S.p.A.</tsl:Name>");
    assert_ne!(changed, text);
    let e = TrustedList::parse(changed.as_bytes()).unwrap_err();
    assert_eq!(e.code_str(), "trust_list");
    assert!(e.message.contains("modificato dopo la firma"), "{}", e.message);
    // Another CA slipped into the list's service.
    let ca2 = std::fs::read_to_string(pki.path("forger-ca.pem")).unwrap();
    let ca2: String = ca2.lines().filter(|l| !l.starts_with("-----")).collect();
    let start = text.find("<tsl:X509Certificate>").unwrap() + "<tsl:X509Certificate>".len();
    let end = text[start..].find('<').unwrap() + start;
    let swapped = format!("{}{ca2}{}", &text[..start], &text[end..]);
    assert!(TrustedList::parse(swapped.as_bytes()).is_err());
    // The signature's value damaged, or the signature taken away.
    let sv = text.find("<SignatureValue>").or_else(|| text.find("<ds:SignatureValue>")).unwrap();
    let at = text[sv..].find('>').unwrap() + sv + 5;
    let mut damaged = text.clone().into_bytes();
    damaged[at] = if damaged[at] == b'A' { b'B' } else { b'A' };
    let e = TrustedList::parse(&damaged).unwrap_err();
    assert!(e.message.contains("non è valida"), "{}", e.message);
    let sig_start = text.find("<ds:Signature").unwrap();
    let sig_end = text.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let unsigned = format!("{}{}", &text[..sig_start], &text[sig_end..]);
    let e = TrustedList::parse(unsigned.as_bytes()).unwrap_err();
    assert!(e.message.contains("non è firmato"), "{}", e.message);
    // Not a trusted list at all.
    assert_eq!(TrustedList::parse(b"<a/>").unwrap_err().code_str(), "trust_list");
    assert_eq!(TrustedList::parse(b"\xff\xfe").unwrap_err().code_str(), "trust_list");
}

#[test]
fn cades_by_openssl_verifies_against_the_list_der_and_base64() {
    let pki = Pki::new();
    let l = list(&pki);
    let p7m = pki.cades("rossi", DOCUMENT, &["-certfile", "ca.pem"]);
    for file in [p7m.clone(), pki.base64(&p7m)] {
        let report = signed::check(&file, Some(&l)).unwrap();
        assert_eq!(report.container, Container::Cades);
        let s = only(&report);
        assert!(report.all_intact && report.all_trusted, "{report:#?}");
        assert!(s.trusted && s.trust.contains("Certificatore di prova"), "{}", s.trust);
        assert_eq!(s.signer, "Mario Rossi");
        assert!(report.summary.contains("firmatari verificati"), "{}", report.summary);
        assert!(report.trust_note.contains("IT n. 7"), "{}", report.trust_note);
    }
    // Without a list the same file is intact and its signer not verified: never valid.
    let report = signed::check(&p7m, None).unwrap();
    assert!(report.all_intact && !report.all_trusted);
    assert!(report.summary.contains("non verificato"), "{}", report.summary);
    // A revocation list in the envelope that does not name this signer changes nothing.
    let report = signed::check(&pki.with_crl(&p7m), Some(&l)).unwrap();
    assert!(report.all_trusted, "{report:#?}");
    assert!(!only(&report).trust.contains("revoca non"), "{}", only(&report).trust);
    // The ECDSA signer (P-256) verifies too.
    let ec = pki.cades("ec", DOCUMENT, &[]);
    let report = signed::check(&ec, Some(&l)).unwrap();
    assert!(report.all_trusted, "{report:#?}");
}

#[test]
fn forgeries_and_bad_certificates_are_not_verified() {
    let pki = Pki::new();
    let l = list(&pki);
    let not_verified = |file: &[u8], why: &str| {
        let report = signed::check(file, Some(&l)).unwrap();
        let s = only(&report);
        assert!(s.intact, "{report:#?}");
        assert!(!s.trusted && !report.all_trusted, "{report:#?}");
        assert!(s.trust.starts_with("Firmatario non verificato"), "{}", s.trust);
        assert!(s.trust.contains(why), "expected «{why}» in: {}", s.trust);
    };
    // A CA made by the forger, with the real CA's name, issuing "Mario Rossi".
    let forged = pki.cades("forged", DOCUMENT, &["-certfile", "forger-ca.pem"]);
    not_verified(&forged, "non risale a un'autorità di certificazione qualificata");
    // The CA revoked the signer, and the revocation list travels in the envelope.
    let revoked = pki.with_crl(&pki.cades("revoked", DOCUMENT, &[]));
    not_verified(&revoked, "revocato");
    // A certificate for authentication only, not for legal signatures.
    not_verified(&pki.cades("plain", DOCUMENT, &[]), "non ripudio");
    // No ESS signing-certificate attribute (cms -sign without -cades).
    let d = pki.dir.path();
    let out = std::process::Command::new("openssl")
        .current_dir(d)
        .args(["cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", "content.bin", "-signer", "rossi.pem"])
        .args(["-inkey", "rossi.key", "-outform", "DER"])
        .output()
        .unwrap();
    assert!(out.status.success());
    not_verified(&out.stdout, "il riferimento che lega il certificato alla firma");

    // A service granted only after the signing time, and a list past its next update.
    let late = TrustedList::parse(&pki.trusted_list(8, "2090-01-01T00:00:00Z", &soon())).unwrap();
    let good = pki.cades("rossi", DOCUMENT, &[]);
    let s = signed::check(&good, Some(&late)).unwrap();
    assert!(!s.all_trusted && only(&s).trust.contains("non era qualificato"), "{s:#?}");
    let old = TrustedList::parse(&pki.trusted_list(9, "2016-07-01T00:00:00Z", "2020-01-01T00:00:00Z")).unwrap();
    let s = signed::check(&good, Some(&old)).unwrap();
    assert!(!s.all_trusted && only(&s).trust.contains("scaduto"), "{s:#?}");
}

#[test]
fn ecdsa_signature_whose_algorithm_disagrees_with_its_digest_is_refused() {
    let pki = Pki::new();
    let mut ec = pki.cades("ec", DOCUMENT, &[]);
    // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) becomes ecdsa-with-SHA384 in the SignerInfo:
    // the signer declared SHA-256 for the document.
    let oid = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
    let at = ec.windows(oid.len()).rposition(|w| w == oid).expect("the SignerInfo's algorithm");
    ec[at + oid.len() - 1] = 0x03;
    let report = signed::check(&ec, Some(&list(&pki))).unwrap();
    let s = only(&report);
    assert!(!s.intact && !s.trusted, "{report:#?}");
    assert!(s.outcome.contains("non sono coerenti"), "{}", s.outcome);
}

#[test]
fn pades_by_pyhanko_verifies_and_a_forger_does_not() {
    let pki = Pki::new();
    let l = list(&pki);
    let pdf = minutes_pdf();
    let signed_pdf = pki.pades("rossi", &pdf, "Firma1");
    let report = signed::check(&signed_pdf, Some(&l)).unwrap();
    assert_eq!(report.container, Container::Pades);
    assert!(report.all_intact && report.all_trusted, "{report:#?}");
    assert_eq!(only(&report).signer, "Mario Rossi");

    let forged = pki.pades("forged", &pdf, "Firma1");
    let report = signed::check(&forged, Some(&l)).unwrap();
    assert!(report.all_intact && !report.all_trusted, "{report:#?}");
}

#[test]
fn mutated_trusted_lists_never_panic_and_never_pass() {
    use proptest::prelude::*;
    let pki = Pki::new();
    let xml = pki.trusted_list(7, "2016-07-01T00:00:00Z", &soon());
    let original = TrustedList::parse(&xml).unwrap().summary;
    let cases = ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(cases, |(at in 0..xml.len(), byte in any::<u8>(), cut in proptest::option::of(0..xml.len()))| {
        let mut bytes = xml.clone();
        bytes[at] = byte;
        if let Some(c) = cut {
            bytes.truncate(c);
        }
        let outcome = std::panic::catch_unwind(|| TrustedList::parse(&bytes));
        prop_assert!(outcome.is_ok(), "panic at byte {at}");
        // A change the signature covers is refused. What it does not cover may change
        // and still read the same list: whitespace, or the bytes of KeyInfo's
        // certificate outside its key (then the signer's fingerprint differs, and a
        // register pinned to the original signer refuses that list).
        if let Ok(Ok(l)) = outcome {
            let s = l.summary;
            prop_assert_eq!((s.sequence, s.issued, s.next_update), (original.sequence, original.issued, original.next_update));
            prop_assert_eq!((s.providers, s.qualified_cas), (original.providers, original.qualified_cas));
            prop_assert_eq!(&s.operator, &original.operator);
            prop_assert_eq!(l.services[0].certificates.clone(), TrustedList::parse(&xml).unwrap().services[0].certificates.clone());
        }
    });
}
