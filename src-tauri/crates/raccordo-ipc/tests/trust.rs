//! The trusted list in *Impostazioni* and a verified signer, through the window's
//! commands: the list (signed by `xmlsec1`) is imported only once the user confirms
//! its signer's fingerprint; a CAdES file by OpenSSL from a listed CA then confirms
//! without asking for responsibility, and the agreement keeps that it was verified.

use base64::Engine as _;
use raccordo_ipc::documents::{self, ConfirmSignedArgs, SignedUpload};
use raccordo_ipc::session::{Places, Session};
use raccordo_ipc::trust::{self, TrustImportArgs};
use raccordo_register::{Agreement, AgreementStatus};

#[path = "../../raccordo-documents/tests/support/pki.rs"]
mod pki;
#[path = "../../raccordo-documents/tests/support/printed.rs"]
mod printed;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn import_a_trusted_list_then_a_verified_signer_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::start(Places { data_dir: dir.path().to_owned(), explicit: None, demo: true });
    let pki = pki::Pki::new();
    let next = (chrono::Utc::now() + chrono::Duration::days(90)).to_rfc3339();
    let xml = pki.trusted_list(3, "2016-07-01T00:00:00Z", &next);
    assert!(trust::trust_list(&s, ()).unwrap().is_none());

    // The first list: refused until the user has compared the signer's fingerprint.
    let args = |confirmed: Option<String>, xml: &[u8]| TrustImportArgs {
        file_name: "IT_TL.xml".into(),
        content_base64: b64(xml),
        confirmed_signer_sha256: confirmed,
    };
    let e = trust::trust_import(&s, args(None, &xml)).unwrap_err();
    assert_eq!(e.code_str(), "trust_list");
    assert!(e.message.contains("impronta SHA-256"), "{}", e.message);
    assert!(trust::trust_list(&s, ()).unwrap().is_none());
    let e = trust::trust_import(&s, args(Some("00".repeat(32)), &xml)).unwrap_err();
    assert!(e.message.contains("non quella indicata"), "{}", e.message);
    let fingerprint = raccordo_documents::trust::TrustedList::parse(&xml).unwrap().summary.signer_sha256;
    let imported = trust::trust_import(&s, args(Some(fingerprint.to_uppercase()), &xml)).unwrap();
    assert_eq!(imported.sequence, 3);
    assert_eq!(trust::trust_list(&s, ()).unwrap().unwrap().signer_sha256, fingerprint);
    // An older list from the same operator does not replace it; a newer one does.
    let older = pki.trusted_list(2, "2016-07-01T00:00:00Z", &next);
    let e = trust::trust_import(&s, args(None, &older)).unwrap_err();
    assert!(e.message.contains("più vecchia"), "{}", e.message);
    let newer = pki.trusted_list(4, "2016-07-01T00:00:00Z", &next);
    assert_eq!(trust::trust_import(&s, args(None, &newer)).unwrap().sequence, 4);
    // The register's own check still holds with the list kept in it.
    s.with(|reg| raccordo_register::verify::register(reg.connection())?.into_result()).unwrap();

    // A signer of the listed CA: verified, confirmed without taking responsibility.
    let a = s.with(|reg| reg.create(Agreement::draft("2026/95", "Protocollo firmato digitalmente"))).unwrap();
    // The agreement's sheet, signed by its recorded signatory.
    let sheet = s.with(|reg| Ok(printed::sheet_signed_by(reg, a.id, "Mario", "Rossi"))).unwrap();
    let p7m = pki.cades("rossi", &sheet, &["-certfile", "ca.pem"]);
    let up = SignedUpload { agreement_id: a.id, file_name: "protocollo.pdf.p7m".into(), content_base64: b64(&p7m) };
    let attached = documents::signed_attach(&s, up).unwrap();
    assert!(attached.check.all_trusted, "{:#?}", attached.check);
    assert!(attached.matching.printed_for_it && attached.matching.signatories_match, "{:#?}", attached.matching);
    let confirmed = documents::agreement_confirm_signed(
        &s,
        ConfirmSignedArgs { agreement_id: a.id, sha256: attached.attachment.sha256, accept_unverified: false },
    )
    .unwrap();
    assert_eq!(confirmed.status, AgreementStatus::Vigente);
    let note = confirmed.signature_check.unwrap();
    assert!(note.contains("Mario Rossi: verificato") && !note.contains("responsabilità"), "{note}");
}
