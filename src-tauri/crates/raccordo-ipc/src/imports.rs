//! The files offices already keep, into the register from the window: a spreadsheet
//! of agreements (checked row by row first with `ImportMode::DryRun`, then written as the
//! person chooses: whole, or its good rows) and the IPA list of bodies into the
//! directory. The file comes as the window read it (base64), within the size of an
//! attachment.

use crate::{Result, Session};
use raccordo_exchange::import::{self, ImportMode};
use raccordo_exchange::ipa;
// The answers, named from here for the shell, which does not link the exchange crate.
pub use raccordo_exchange::import::ImportReport;
pub use raccordo_exchange::ipa::IpaReport;
use serde::Deserialize;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgreementsImportArgs {
    pub file_name: String,
    pub content_base64: String,
    pub mode: ImportMode,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct IpaImportArgs {
    pub file_name: String,
    pub content_base64: String,
    pub dry_run: bool,
}

fn sheet(file_name: &str, content_base64: &str) -> Result<raccordo_exchange::read::Sheet> {
    let bytes = crate::records::decode_upload(file_name, content_base64)?;
    raccordo_exchange::read::read(file_name, &bytes)
}

/// The report comes back with the refused rows only (the counts say the rest): the
/// window shows those, and a list of 100,000 good rows would be some 18 MB of JSON.
pub fn import_agreements(s: &Session, args: AgreementsImportArgs) -> Result<ImportReport> {
    let sheet = sheet(&args.file_name, &args.content_base64)?;
    let mut report = s.with(|reg| import::agreements(reg, &sheet, args.mode))?;
    report.rows.retain(|r| r.outcome == import::RowOutcome::Refused);
    Ok(report)
}

pub fn import_ipa(s: &Session, args: IpaImportArgs) -> Result<IpaReport> {
    let sheet = sheet(&args.file_name, &args.content_base64)?;
    let today = chrono::Local::now().date_naive();
    s.with(|reg| ipa::ipa(reg, &args.file_name, &sheet, args.dry_run, today))
}
