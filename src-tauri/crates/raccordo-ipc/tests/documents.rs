//! Printing and signed files through the commands the window calls, with a desk that
//! saves into a folder (or cancels) in place of the native dialog.

use raccordo_documents::Request;
use raccordo_ipc::documents::{self, ConfirmSignedArgs, Desk, PrintArgs, SignedUpload};
use raccordo_ipc::session::{Places, Session};
use raccordo_register::{Agreement, AgreementStatus};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
fn an_unsigned_file_is_refused_and_not_kept_and_confirming_makes_it_in_force() {
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

    // An agreement in signature becomes in force when the user confirms the signed file.
    let mut draft = a.clone();
    draft.status = AgreementStatus::InFirma;
    s.with(|reg| reg.update(draft)).unwrap();
    let confirmed =
        documents::agreement_confirm_signed(&s, ConfirmSignedArgs { agreement_id: a.id, signed_on: None }).unwrap();
    assert_eq!(confirmed.status, AgreementStatus::Vigente);
    assert_eq!(confirmed.signed_on, a.signed_on);
}
