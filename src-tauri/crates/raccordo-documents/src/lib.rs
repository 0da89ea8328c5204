//! Raccordo's documents: the protocol report, the convocation and the minutes of a
//! meeting, and the register reports, each laid out by a Typst template from
//! `assets/templates/` into a tagged PDF/A-2b + PDF/UA-1 file, with the AGID metadata
//! record that goes beside it; and the signed files that come back (PAdES, CAdES),
//! read and checked. No tauri, no display: the window and the command line call this.

// Amounts in cents are grouped as euros and cents: `250_000_00` is € 250.000,00.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod agid;
pub mod agreement_file;
pub mod common;
pub mod engine;
mod envelope;
pub mod italian;
pub mod keys;
pub mod meeting;
pub mod protocol;
pub mod reports;
pub mod revisions;
pub mod signed;
pub mod trust;

use agid::{AgidRecord, Describe, Soggetto};
use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use common::{Meta, Office, Prepared};
use raccordo_register::query::AgreementFilter;
use raccordo_register::{Error, ErrorCode, Register, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub use reports::ProjectFilter;

/// Which document to make, and from what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "document", rename_all = "snake_case")]
pub enum Request {
    /// Scheda del protocollo.
    Protocol { agreement_id: Uuid },
    /// Lettera di convocazione con l'ordine del giorno.
    Convocation { meeting_id: Uuid },
    /// Verbale della seduta.
    Minutes { meeting_id: Uuid },
    /// Protocolli per stato e scadenza.
    AgreementsReport { filter: AgreementFilter },
    /// Progetti per stato e finanziamento.
    ProjectsReport { filter: ProjectFilter },
    /// Azioni e impegni scaduti.
    OverdueReport,
}

/// A document made: the PDF, its metadata record and the file name it suggests.
pub struct Made {
    pub pdf: Vec<u8>,
    pub record: AgidRecord,
    pub file_name: String,
    /// The office's template files that were not used (a bad name, a symbolic link),
    /// in Italian: the document printed with the built-in template in their place.
    pub template_notes: Vec<String>,
}

/// Makes documents with one set of templates (the built-in ones, or the office's).
pub struct Documents {
    engine: engine::Engine,
}

/// The folder an office puts its own templates in: `modelli/` beside the register.
pub fn templates_dir_for(register_file: &Path) -> PathBuf {
    register_file.parent().unwrap_or(Path::new(".")).join("modelli")
}

/// `verbale.pdf` → `verbale.metadati.json`.
pub fn metadata_path(pdf: &Path) -> PathBuf {
    pdf.with_extension("metadati.json")
}

impl Documents {
    pub fn new(templates_dir: Option<&Path>) -> Documents {
        Documents { engine: engine::Engine::new(templates_dir) }
    }

    /// Makes the document `req` asks for. `now` is the generation time: the same data
    /// and the same `now` give the same bytes.
    pub fn make(&self, reg: &Register, req: &Request, now: DateTime<Utc>) -> Result<Made> {
        let now = now.with_nanosecond(0).unwrap_or(now);
        let today = local_day(now);
        let office = Office::of(reg)?;
        let r = reg.reader();
        let author = Soggetto {
            ruolo: "Autore".into(),
            tipo_soggetto: "PAI".into(),
            denominazione: office.name().to_owned(),
            codice_ipa: office.administration.as_ref().and_then(|a| a.ipa_code.clone()),
            qualifica: Some("Ufficio di coordinamento".into()),
        };
        let made_on = italian::date(today);
        let Prepared { template, doc, describe, demo_note } = match req {
            Request::Protocol { agreement_id } => protocol::prepare(&r, *agreement_id, author, now)?,
            Request::Convocation { meeting_id } => meeting::prepare(&r, *meeting_id, false, author, now)?,
            Request::Minutes { meeting_id } => meeting::prepare(&r, *meeting_id, true, author, now)?,
            Request::AgreementsReport { filter } => reports::prepare_agreements(&r, filter, today, author, now)?,
            Request::ProjectsReport { filter } => reports::prepare_projects(&r, filter, author, now)?,
            Request::OverdueReport => reports::prepare_overdue(&r, today, author, now)?,
        };

        let ident = ident_of(req, now);
        let meta = Meta {
            title: describe.subject_line.clone(),
            author: office.name().to_owned(),
            subject: describe.document_type.clone(),
            keywords: describe.keywords.iter().cloned().chain(sheet_mark(req)).collect(),
            made_on,
            demo_note,
        };
        let payload = serde_json::json!({ "meta": meta, "letterhead": &office.letterhead, "doc": doc });
        let pdf = self
            .engine
            .render(&engine::Job {
                template,
                data: serde_json::to_vec(&payload)?,
                logo: office.logo.clone(),
                generated_at: now,
                ident: ident.clone(),
            })
            .map_err(|e| {
                Error::new(
                    ErrorCode::Document,
                    format!("Il modello {} non si può comporre: {}", e.template, e.messages.join("; ")),
                )
            })?;
        let file_name = describe.file_name.clone();
        let record = AgidRecord::new(Describe { ident, ..describe }, &pdf);
        Ok(Made { pdf, record, file_name, template_notes: self.engine.refused().to_vec() })
    }
}

/// The agreement's identifier, among the keywords of its sheet: how a signed file that
/// comes back is recognised as that sheet (`agreement_file`).
fn sheet_mark(req: &Request) -> Option<String> {
    match req {
        Request::Protocol { agreement_id } => Some(agreement_file::mark(*agreement_id)),
        _ => None,
    }
}

/// A stable identifier: the same request at the same time names the same document.
fn ident_of(req: &Request, now: DateTime<Utc>) -> String {
    let key = format!("{}|{}", serde_json::to_string(req).unwrap_or_default(), now.to_rfc3339());
    let digest = Sha256::digest(key.as_bytes());
    format!("raccordo-{}", &raccordo_register::audit::hex(&digest)[..32])
}

/// Writes the PDF and, beside it, its metadata record (`x.pdf` and `x.metadati.json`).
/// Each file is written whole to a temporary name and then renamed: a failure leaves
/// no half-written document.
pub fn write(made: &Made, pdf_path: &Path) -> Result<PathBuf> {
    let meta_path = metadata_path(pdf_path);
    let mut record = made.record.clone();
    record.nome_del_documento =
        pdf_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| made.file_name.clone());
    write_whole(pdf_path, &made.pdf)?;
    if let Err(e) = write_whole(&meta_path, record.to_json().as_bytes()) {
        // A PDF without its record would be filed without its metadata: neither stays.
        let _ = std::fs::remove_file(pdf_path);
        return Err(e);
    }
    Ok(meta_path)
}

fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "la cartella non esiste".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permesso negato".to_owned(),
            _ => e.to_string(),
        };
        Error::new(ErrorCode::Document, format!("Impossibile scrivere {}: {why}.", path.display()))
    };
    let tmp = path.with_extension("tmp-raccordo");
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

/// The day `now` falls on where the office is (the machine's time zone).
pub fn local_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Local).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(common::file_safe("2007/12"), "2007-12");
        assert_eq!(common::file_safe("Protocolli per stato"), "protocolli-per-stato");
        assert_eq!(metadata_path(Path::new("/x/verbale.pdf")), PathBuf::from("/x/verbale.metadati.json"));
    }
}
