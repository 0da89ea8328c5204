//! Commands bound what they accept, and say so in Italian before doing the work.

use raccordo_ipc::browse::{self, SearchArgs};
use raccordo_ipc::records::{self, AttachmentUpload};
use raccordo_ipc::session::{Places, Session};
use raccordo_register::{ErrorCode, Kind};

fn demo() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::start(Places { data_dir: dir.path().to_owned(), explicit: None, demo: true });
    (dir, s)
}

#[test]
fn a_search_text_longer_than_a_person_types_is_refused() {
    let (_d, s) = demo();
    let e = browse::search(&s, SearchArgs { text: "parola ".repeat(40), limit: 10 }).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert_eq!(e.message, "Testo da cercare: al massimo 200 caratteri.");
}

#[test]
fn an_upload_over_50_mb_is_refused_before_it_is_decoded() {
    let (_d, s) = demo();
    let owner_id = s.with(|reg| Ok(reg.reader().query_one("SELECT id FROM agreement LIMIT 1", [])?.unwrap())).unwrap();
    let before = s.with(|reg| reg.reader().count_rows("blob")).unwrap();
    // Not valid base64 at all: refused for its size, so it was never decoded.
    let content_base64 = "!".repeat(72 * 1024 * 1024);
    let e = records::attachment_add(
        &s,
        AttachmentUpload {
            owner_kind: Kind::Agreement,
            owner_id,
            file_name: "enorme.pdf".into(),
            media_type: "application/pdf".into(),
            description: None,
            content_base64,
        },
    )
    .unwrap_err();
    assert_eq!(e.message, "Allegato: il file è di 54 MB, il massimo è 50 MB.");
    assert_eq!(s.with(|reg| reg.reader().count_rows("blob")).unwrap(), before);
}
