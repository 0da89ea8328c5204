//! What changed after each signature of a PDF (DocMDP), on files written by pyHanko
//! (`tests/tools/pades_sign.py` signs, `tests/tools/pdf_update.py` changes): a second
//! signature and validation data added later keep the file intact; text added to a
//! page, then signed again, or a note drawn over a signed page do not, and the check
//! says after whose signature and what. And the validation data such updates bring:
//! OCSP responses by `openssl ocsp`, in a PDF's DSS and in a `.p7m`.

use raccordo_documents::signed;

#[path = "support/pki.rs"]
mod pki;
#[path = "support/printed.rs"]
mod printed;
use pki::Pki;

#[test]
fn signatures_and_validation_data_added_later_keep_the_file_intact() {
    let pki = Pki::new();
    let one = pki.pades("rossi", &printed::minutes_pdf(), "Firma1");
    let two = pki.pades("ec", &one, "Firma2");
    let report = signed::check(&two, None).unwrap();
    assert!(report.all_intact, "{report:#?}");
    let [first, second] = &report.signatures[..] else { panic!("{report:#?}") };
    assert!(!first.modified_after && first.changes_after.iter().any(|c| c == "aggiunta una firma"), "{first:#?}");
    assert!(first.outcome.starts_with("Firma integra; dopo questa firma:"), "{}", first.outcome);
    assert!(second.changes_after.is_empty(), "{second:#?}");

    // PAdES-B-LT: the CA's certificate and its revocation list added after signing.
    let lt = pki.pdf_update("dss", &two, &["cert:ca.pem", "crl:crl.pem"]);
    let report = signed::check(&lt, None).unwrap();
    assert!(report.all_intact, "{report:#?}");
    let last = report.signatures.last().unwrap();
    assert!(last.changes_after.iter().any(|c| c.contains("dati di validazione")), "{last:#?}");
    assert!(!last.modified_after);
}

#[test]
fn a_document_timestamp_after_the_signatures_is_checked_and_keeps_the_file_intact() {
    let pki = Pki::new();
    let signed = pki.pades("rossi", &printed::minutes_pdf(), "Firma1");
    let lta = pki.doc_timestamp(&pki.pdf_update("dss", &signed, &["cert:ca.pem", "crl:crl.pem"]));
    let report = signed::check(&lta, Some(&trusted_list(&pki))).unwrap();
    assert!(report.all_intact && report.all_trusted, "{report:#?}");
    let [signature, stamp] = &report.signatures[..] else { panic!("{report:#?}") };
    assert!(signature.trusted && !signature.timestamp, "{signature:#?}");
    assert!(stamp.timestamp && stamp.intact, "{stamp:#?}");
    assert!(stamp.outcome.starts_with("Marca temporale integra"), "{}", stamp.outcome);
    assert!(signature.changes_after.iter().any(|c| c == "aggiunta una marca temporale"), "{signature:#?}");
    assert!(report.summary.ends_with("Il file ha anche una marca temporale del documento."), "{}", report.summary);

    // The token's imprint no longer matching: a byte of the timestamped revision changed
    // in the gap of nobody's signature, i.e. in the document. The first signature breaks too.
    let mut bad = lta.clone();
    let at = bad.windows(9).position(|w| w == b"/MediaBox").unwrap();
    bad[at + 1] = b'm';
    let report = signed::check(&bad, None).unwrap();
    assert!(!report.all_intact && !report.signatures[1].intact, "{report:#?}");
}

#[test]
fn a_page_changed_then_signed_again_is_not_intact() {
    let pki = Pki::new();
    let one = pki.pades("rossi", &printed::minutes_pdf(), "Firma1");
    let changed = pki.pdf_update("text", &one, &[]);
    let two = pki.pades("ec", &changed, "Firma2");
    let report = signed::check(&two, None).unwrap();
    // Each signature matches its own bytes, and still the file is not what Rossi signed.
    assert!(report.signatures.iter().all(|s| s.intact), "{report:#?}");
    assert!(!report.all_intact, "{report:#?}");
    assert!(report.signatures[0].modified_after);
    assert!(report.summary.contains("modificato dopo la firma di Mario Rossi"), "{}", report.summary);
    // The change and the second signature are one update after Rossi's revision.
    assert!(report.summary.contains("modificata una pagina (annotazioni, contenuto)"), "{}", report.summary);
    assert!(!report.signatures[1].modified_after, "{report:#?}");

    // The same change with no signature after it.
    let report = signed::check(&changed, None).unwrap();
    assert!(!report.all_intact);
    assert!(report.summary.contains("dopo l'ultima firma (modificata una pagina (contenuto)"), "{}", report.summary);
}

#[test]
fn a_note_drawn_over_a_signed_page_is_not_intact() {
    let pki = Pki::new();
    let one = pki.pades("rossi", &printed::minutes_pdf(), "Firma1");
    let noted = pki.pdf_update("note", &one, &[]);
    let report = signed::check(&noted, None).unwrap();
    assert!(!report.all_intact, "{report:#?}");
    assert!(report.summary.contains("annotazione (testo libero)"), "{}", report.summary);
    // Signed again over the note: still not intact.
    let two = pki.pades("ec", &noted, "Firma2");
    assert!(!signed::check(&two, None).unwrap().all_intact);
}

/// A trusted list naming the test's CA, valid for 90 days more.
fn trusted_list(pki: &Pki) -> raccordo_documents::trust::TrustedList {
    let next = (chrono::Utc::now() + chrono::Duration::days(90)).to_rfc3339();
    raccordo_documents::trust::TrustedList::parse(&pki.trusted_list(5, "2016-07-01T00:00:00Z", &next)).unwrap()
}

#[test]
fn ocsp_responses_in_a_p7m_are_read() {
    let pki = Pki::new();
    let list = trusted_list(&pki);
    let document = printed::minutes_pdf();
    // Among the SignedData's `crls` (RFC 5940), and as CAdES `revocationValues`.
    for kind in ["ocsp", "ocsp-attribute"] {
        let good = pki.ocsp("rossi");
        let p7m = pki.with_revocation(&pki.cades("rossi", &document, &["-certfile", "ca.pem"]), &good, kind);
        let report = signed::check(&p7m, Some(&list)).unwrap();
        assert!(report.all_intact && report.all_trusted, "{kind}: {report:#?}");
        assert!(!report.signatures[0].trust.contains("non è stata controllata"), "{kind}: {report:#?}");

        let revoked = pki.ocsp("revoked");
        let p7m = pki.with_revocation(&pki.cades("revoked", &document, &["-certfile", "ca.pem"]), &revoked, kind);
        let report = signed::check(&p7m, Some(&list)).unwrap();
        assert!(report.all_intact && !report.all_trusted, "{kind}: {report:#?}");
        assert!(report.signatures[0].trust.contains("(risposta OCSP)"), "{kind}: {report:#?}");
    }
}

#[test]
fn ocsp_responses_added_after_signing_are_read() {
    let pki = Pki::new();
    let list = trusted_list(&pki);
    let minutes = printed::minutes_pdf();

    // A good response for Rossi: verified, and the revocation was checked.
    let good = pki.ocsp("rossi");
    let signed = pki.pades("rossi", &minutes, "Firma1");
    let lt = pki.pdf_update("dss", &signed, &[&format!("ocsp:{good}")]);
    let report = signed::check(&lt, Some(&list)).unwrap();
    assert!(report.all_intact && report.all_trusted, "{report:#?}");
    assert!(!report.signatures[0].trust.contains("la revoca non è stata controllata"), "{report:#?}");

    // The revoked signer, with the CA's OCSP response (and no revocation list): not verified.
    let revoked = pki.ocsp("revoked");
    let signed = pki.pades("revoked", &minutes, "Firma1");
    let lt = pki.pdf_update("dss", &signed, &[&format!("ocsp:{revoked}")]);
    let report = signed::check(&lt, Some(&list)).unwrap();
    assert!(report.all_intact && !report.all_trusted, "{report:#?}");
    assert!(report.signatures[0].trust.contains("revocato"), "{report:#?}");
    assert!(report.signatures[0].trust.contains("(risposta OCSP)"), "{report:#?}");
}
