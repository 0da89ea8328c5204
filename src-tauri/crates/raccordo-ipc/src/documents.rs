//! Printing and the signed files that come back: make a document, ask where to save
//! it, write it with its AGID metadata record, open it in the system's viewer; read and
//! check a signed PAdES/CAdES file, keep it as an attachment, and mark the agreement
//! *vigente* when the user confirms.

use crate::records::attach_bytes;
use crate::{Result, Session};
use raccordo_documents::agreement_file::{self, AgreementMatch};
use raccordo_documents::signed::{self, SignedFile};
use raccordo_documents::{Documents, Request};
use raccordo_register::{Agreement, Attachment, Error, ErrorCode, Kind, signing};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;
use uuid::Uuid;

/// What printing needs from the desktop: the shell gives the native save dialog and
/// the system's PDF viewer; tests give a folder.
pub trait Desk: Send + Sync {
    /// Where to save a file called `file_name` (a PDF, a calendar: its extension says
    /// which); `None` when the user cancels.
    fn save_path(&self, file_name: &str) -> Option<PathBuf>;
    /// Opens a saved document in the system's viewer.
    fn open(&self, path: &Path) -> std::io::Result<()>;
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PrintArgs {
    pub request: Request,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Printed {
    /// False when the user closed the save dialog: nothing was written.
    pub saved: bool,
    pub pdf: Option<String>,
    pub metadata: Option<String>,
    /// Set when the PDF was saved but the system's viewer could not open it.
    pub open_problem: Option<String>,
    /// The office's template files that were not used, and why (`modelli/`).
    pub template_notes: Vec<String>,
}

pub fn document_print(s: &Session, args: PrintArgs) -> Result<Printed> {
    let desk = s.desk().ok_or_else(|| Error::new(ErrorCode::Document, "Stampa non disponibile in questa sessione."))?;
    // Made under the register's lock; the dialog and the viewer come after, so the
    // window keeps working while the user chooses a folder.
    let made = s.with(|reg| {
        let documents = Documents::new(Some(&raccordo_documents::templates_dir_for(reg.path())));
        documents.make(reg, &args.request, chrono::Utc::now())
    })?;
    let Some(path) = desk.save_path(&made.file_name) else {
        return Ok(Printed { saved: false, pdf: None, metadata: None, open_problem: None, template_notes: vec![] });
    };
    let path =
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) { path } else { path.with_extension("pdf") };
    let metadata = raccordo_documents::write(&made, &path)?;
    let open_problem = desk.open(&path).err().map(|e| {
        format!("Il PDF è salvato in {}, ma il visualizzatore del sistema non si è aperto: {e}", path.display())
    });
    Ok(Printed {
        saved: true,
        pdf: Some(path.display().to_string()),
        metadata: Some(metadata.display().to_string()),
        open_problem,
        template_notes: made.template_notes,
    })
}

/// A signed file sent back by the signatories, as the window uploads it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignedUpload {
    pub agreement_id: Uuid,
    pub file_name: String,
    pub content_base64: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SignedAttached {
    pub attachment: Attachment,
    pub check: SignedFile,
    /// Whether it is the sheet printed for this agreement, signed by its signatories.
    pub matching: AgreementMatch,
}

/// Reads and checks every signature; a file that is not a signed PDF or `.p7m` is
/// refused and nothing is stored. A readable one is kept by SHA-256 on the agreement,
/// whatever the outcome, so the office has what it received.
pub fn signed_attach(s: &Session, up: SignedUpload) -> Result<SignedAttached> {
    let bytes = crate::records::decode_upload("File firmato", &up.content_base64)?;
    let list = crate::trust::in_use(s)?;
    let check = signed::check(&bytes, list.as_deref())?;
    let media_type = match check.container {
        signed::Container::Pades => "application/pdf",
        signed::Container::Cades => "application/pkcs7-mime",
    };
    let description = format!("File firmato: {}", check.summary);
    let attachment =
        attach_bytes(s, (Kind::Agreement, up.agreement_id), &up.file_name, media_type, Some(description), &bytes)?;
    let matching = s.with(|reg| agreement_file::compare(&reg.reader(), up.agreement_id, &bytes, &check))?;
    Ok(SignedAttached { attachment, check, matching })
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConfirmSignedArgs {
    pub agreement_id: Uuid,
    /// The SHA-256 of the signed file, already attached to the agreement.
    pub sha256: String,
    /// The user confirms a file whose signers are not verified against a trusted
    /// list, or do not match the agreement's signatories, and takes responsibility for
    /// it: the agreement's history records so.
    #[serde(default)]
    pub accept_unverified: bool,
}

/// The user confirms the signed file: the agreement becomes *vigente* and records which
/// file it was signed in. The file is read again from the register and its signatures
/// checked again, outside the register's lock (a crafted file must not hold up every
/// other command), so only a file attached to this agreement whose every signature
/// matches its bytes can make it in force; the register then checks, inside its write,
/// that the same file is still attached (`signing::confirm_signed_file`). An agreement
/// with no signature date takes the day of the earliest signing time the file declares.
/// Signers not verified against the trusted list are accepted only when the user says
/// they take responsibility (`accept_unverified`), and the agreement keeps who did.
pub fn agreement_confirm_signed(s: &Session, args: ConfirmSignedArgs) -> Result<Agreement> {
    let bytes = s.with(|reg| signing::attached_file(&reg.reader(), args.agreement_id, &args.sha256))?;
    let list = crate::trust::in_use(s)?;
    let check = signed::check(&bytes, list.as_deref())?;
    if !check.all_intact {
        return Err(Error::new(
            ErrorCode::Signature,
            format!("Il protocollo non è stato segnato come vigente: {}", check.summary),
        ));
    }
    let matching = s.with(|reg| agreement_file::compare(&reg.reader(), args.agreement_id, &bytes, &check))?;
    if !matching.printed_for_it {
        return Err(Error::new(
            ErrorCode::Signature,
            format!("Il protocollo non è stato segnato come vigente: {}", matching.problems.join(" ")),
        ));
    }
    if (!check.all_trusted || !matching.signatories_match) && !args.accept_unverified {
        let why = if check.all_trusted { matching.problems.join(" ") } else { check.summary.clone() };
        return Err(Error::new(
            ErrorCode::Unverified,
            format!(
                "Il protocollo non è stato segnato come vigente: {why} Per confermarlo comunque devi assumertene \
                 la responsabilità."
            ),
        ));
    }
    let user = s.with(|reg| Ok(reg.settings().user_name))?;
    let note = signed::confirmation_note(&check, &matching.problems, &user);
    let signed_on = check.signed_on();
    s.with(|reg| reg.write(|w| signing::confirm_signed_file(w, args.agreement_id, &args.sha256, signed_on, &note)))
}
