//! Printing and signed files through the commands the window calls, with a desk that
//! saves into a folder (or cancels) in place of the native dialog.

use raccordo_documents::Request;
use raccordo_ipc::documents::{self, ConfirmSignedArgs, Desk, PrintArgs, SignedUpload};
use raccordo_ipc::session::{Places, Session};
use raccordo_register::{Agreement, AgreementStatus};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[path = "../../raccordo-documents/tests/support/printed.rs"]
mod printed;
#[path = "../../raccordo-documents/tests/support/signing.rs"]
mod signing;

struct FolderDesk {
    dir: Option<PathBuf>,
    opened: Mutex<Vec<PathBuf>>,
}

impl Desk for FolderDesk {
    fn save_path(&self, file_name: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(file_name))
    }
    fn open(&self, path: &Path) -> std::io::Result<()> {
        self.opened.lock().unwrap().push(path.to_owned());
        Ok(())
    }
}

fn demo(dir: &Path, save_to: Option<PathBuf>) -> Session {
    let s = Session::start(Places { data_dir: dir.to_owned(), explicit: None, demo: true });
    s.set_desk(Box::new(FolderDesk { dir: save_to, opened: Mutex::new(Vec::new()) }));
    s
}

fn lucca(s: &Session) -> Agreement {
    s.with(|reg| Ok(reg.reader().select::<Agreement>("SELECT * FROM agreement WHERE number = '2007/1'", [])?.remove(0)))
        .unwrap()
}

#[test]
fn print_saves_the_pdf_and_its_record_then_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stampe");
    std::fs::create_dir(&out).unwrap();
    let s = demo(dir.path(), Some(out.clone()));
    let a = lucca(&s);
    let p = documents::document_print(&s, PrintArgs { request: Request::Protocol { agreement_id: a.id } }).unwrap();
    assert!(p.saved && p.open_problem.is_none());
    let pdf = PathBuf::from(p.pdf.unwrap());
    assert_eq!(pdf, out.join("scheda-protocollo-2007-1.pdf"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert!(PathBuf::from(p.metadata.unwrap()).exists());
}

#[test]
fn a_cancelled_dialog_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path(), None);
    let p = documents::document_print(&s, PrintArgs { request: Request::OverdueReport }).unwrap();
    assert!(!p.saved && p.pdf.is_none());
}

#[test]
fn an_unsigned_file_is_refused_and_not_kept_and_confirming_without_a_signed_file_is_refused() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stampe");
    std::fs::create_dir(&out).unwrap();
    let s = demo(dir.path(), Some(out.clone()));
    let a = lucca(&s);
    let p = documents::document_print(&s, PrintArgs { request: Request::Protocol { agreement_id: a.id } }).unwrap();
    let bytes = std::fs::read(p.pdf.unwrap()).unwrap();
    let before: u64 = s.with(|reg| reg.reader().count(raccordo_register::Kind::Attachment)).unwrap();
    let e = documents::signed_attach(
        &s,
        SignedUpload {
            agreement_id: a.id,
            file_name: "scheda.pdf".into(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
        },
    )
    .unwrap_err();
    assert_eq!(e.code_str(), "signature");
    assert!(e.message.contains("non contiene firme digitali"), "{}", e.message);
    let after: u64 = s.with(|reg| reg.reader().count(raccordo_register::Kind::Attachment)).unwrap();
    assert_eq!(before, after, "nothing stored");

    // Without a signed file attached, confirming is refused and changes nothing.
    let e = documents::agreement_confirm_signed(
        &s,
        ConfirmSignedArgs { agreement_id: a.id, sha256: "ab".repeat(32), accept_unverified: true },
    )
    .unwrap_err();
    assert!(e.message.contains("non è tra gli allegati"), "{}", e.message);
}

fn attach_signed(s: &Session, agreement_id: uuid::Uuid, p7m: &[u8]) -> documents::SignedAttached {
    use base64::Engine as _;
    documents::signed_attach(
        s,
        SignedUpload {
            agreement_id,
            file_name: "protocollo.pdf.p7m".into(),
            content_base64: base64::engine::general_purpose::STANDARD.encode(p7m),
        },
    )
    .unwrap()
}

#[test]
fn a_verified_signed_file_makes_the_agreement_in_force_and_a_changed_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let s = demo(dir.path(), None);
    let a = s.with(|reg| reg.create(Agreement::draft("2026/90", "Protocollo d'intesa per la firma digitale"))).unwrap();
    // The agreement's sheet as Raccordo prints it, with Mario Rossi as its signatory.
    let sheet = s.with(|reg| Ok(printed::sheet_signed_by(reg, a.id, "Mario", "Rossi"))).unwrap();
    let text = sheet.as_slice();

    // A CAdES file whose content was changed after signing is kept, shown as not
    // intact, and cannot make the agreement in force.
    let mut changed = signing::sign(Some(text), None);
    let at = signing::find(&changed, b"%PDF-");
    changed[at + 5] ^= 0x01;
    let bad = attach_signed(&s, a.id, &changed);
    assert!(!bad.check.all_intact);
    let e = documents::agreement_confirm_signed(
        &s,
        ConfirmSignedArgs { agreement_id: a.id, sha256: bad.attachment.sha256.clone(), accept_unverified: true },
    )
    .unwrap_err();
    assert_eq!(e.code_str(), "signature");
    let still: Agreement = s.with(|reg| reg.reader().require(a.id)).unwrap();
    assert_eq!((still.status, still.signed_on, still.signed_file_sha256), (AgreementStatus::Bozza, None, None));

    // The intact file, with no trusted list imported: its signer is not verified, so
    // confirming needs the user to take responsibility; until then nothing changes.
    let good = attach_signed(&s, a.id, &signing::sign(Some(text), None));
    assert!(good.check.all_intact, "{}", good.check.summary);
    assert!(!good.check.all_trusted && !good.check.signatures[0].trusted);
    assert!(good.check.signatures[0].signer == "Mario Rossi", "{:?}", good.check.signatures);
    let args = |accept_unverified| ConfirmSignedArgs {
        agreement_id: a.id,
        sha256: good.attachment.sha256.to_uppercase(),
        accept_unverified,
    };
    let e = documents::agreement_confirm_signed(&s, args(false)).unwrap_err();
    assert_eq!(e.code_str(), "unverified");
    assert!(e.message.contains("responsabilità"), "{}", e.message);
    let still: Agreement = s.with(|reg| reg.reader().require(a.id)).unwrap();
    assert_eq!((still.status, still.signed_file_sha256), (AgreementStatus::Bozza, None));

    // The user confirms and takes responsibility: the agreement is in force, signed on
    // the day the file says, names the file it was signed in, and its history says who
    // confirmed an unverified signer.
    s.with(|reg| reg.set_settings(None, "Giulia Neri").map(drop)).unwrap();
    let confirmed = documents::agreement_confirm_signed(&s, args(true)).unwrap();
    let note = confirmed.signature_check.clone().unwrap_or_default();
    assert!(note.contains("Mario Rossi: NON verificato"), "{note}");
    assert!(note.contains("Confermato da Giulia Neri sotto la propria responsabilità"), "{note}");
    let history = s.with(|reg| raccordo_register::audit::history(reg.connection(), a.id)).unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.after["signature_check"].as_str(), Some(note.as_str()));
    assert_eq!(last.actor, "Giulia Neri");
    assert_eq!(confirmed.status, AgreementStatus::Vigente);
    assert_eq!(confirmed.signed_file_sha256.as_deref(), Some(good.attachment.sha256.as_str()));
    let signed_at = good.check.signatures[0].signing_time.expect("CAdES signing time");
    assert_eq!(confirmed.signed_on, Some(signed_at.with_timezone(&chrono::Local).date_naive()));

    // A file attached to another agreement does not count for this one; attached to
    // it, it is still this agreement's sheet, not the other's.
    let other = s.with(|reg| reg.create(Agreement::draft("2026/91", "Altro protocollo"))).unwrap();
    let e = documents::agreement_confirm_signed(
        &s,
        ConfirmSignedArgs { agreement_id: other.id, sha256: good.attachment.sha256.clone(), accept_unverified: true },
    )
    .unwrap_err();
    assert!(e.message.contains("non è tra gli allegati"), "{}", e.message);
    let e = documents::agreement_confirm_signed(
        &s,
        ConfirmSignedArgs {
            agreement_id: other.id,
            sha256: attach_signed(&s, other.id, &signing::sign(Some(text), None)).attachment.sha256,
            accept_unverified: true,
        },
    )
    .unwrap_err();
    assert_eq!(e.code_str(), "signature");
    assert!(e.message.contains("non è la scheda di questo protocollo"), "{}", e.message);
}
