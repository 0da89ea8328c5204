//! The register out to other programs, from the window: a meeting, or everything
//! ahead, as a calendar file (`raccordo_exchange::ics`); a list, with the filters on
//! screen, as a spreadsheet (CSV for Italian Excel, or .xlsx). Each is saved where the
//! user says (the desktop's save dialog) and opened with the program the system uses.

use crate::{Error, Result, Session};
use raccordo_exchange::table::List;
use raccordo_register::query::AgreementFilter;
use raccordo_register::{ErrorCode, Kind};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CalendarArgs {
    /// One meeting; `None`: every event from today on.
    pub meeting_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Exported {
    /// False when the user closed the save dialog: nothing was written.
    pub saved: bool,
    pub path: Option<String>,
    /// Set when the file was saved but no program opened it.
    pub open_problem: Option<String>,
}

/// Writes `text` where the user chooses, suggesting `file_name`, and opens it.
fn save(s: &Session, file_name: &str, extension: &str, text: impl AsRef<[u8]>) -> Result<Exported> {
    let desk = s.desk().ok_or_else(|| Error::bad_request("Salvataggio non disponibile in questa sessione."))?;
    let Some(path) = desk.save_path(file_name) else {
        return Ok(Exported { saved: false, path: None, open_problem: None });
    };
    let path: PathBuf = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension)) {
        path
    } else {
        path.with_extension(extension)
    };
    std::fs::write(&path, text)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("{} non salvato: {e}", path.display())))?;
    let open_problem = desk
        .open(&path)
        .err()
        .map(|e| format!("Il file è salvato in {}, ma nessun programma del sistema l'ha aperto: {e}", path.display()));
    Ok(Exported { saved: true, path: Some(path.display().to_string()), open_problem })
}

/// A meeting, or everything from today on, as an iCalendar file.
pub fn calendar_export(s: &Session, args: CalendarArgs) -> Result<Exported> {
    let now = chrono::Utc::now();
    let (file_name, text) = s.with(|reg| {
        let r = reg.reader();
        match args.meeting_id {
            Some(id) => {
                let m =
                    r.get::<raccordo_register::Meeting>(id)?.ok_or_else(|| Error::not_found(Kind::Meeting.label()))?;
                let name = format!("seduta-{}-{}.ics", m.number, m.date.format("%Y-%m-%d"));
                Ok((name, raccordo_exchange::ics::meeting(&r, id, now)?))
            }
            None => {
                let name = raccordo_exchange::ics::calendar_name(&r, reg.settings().office_id)?;
                let range = raccordo_exchange::ics::Range { from: Some(crate::session::today()), to: None };
                Ok((
                    "raccordo-scadenze-e-sedute.ics".to_owned(),
                    raccordo_exchange::ics::calendar(&r, &name, range, now)?,
                ))
            }
        }
    })?;
    save(s, &file_name, "ics", text)
}

/// A spreadsheet's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ListExportArgs {
    pub list: List,
    /// The agreement list's filters, as on screen (other lists: none).
    pub filter: Option<AgreementFilter>,
    pub format: SheetFormat,
}

/// A list as a spreadsheet, with the agreement list's filters as on screen.
pub fn list_export(s: &Session, args: ListExportArgs) -> Result<Exported> {
    let filter = args.filter.unwrap_or_default();
    if args.list != List::Agreements && filter != AgreementFilter::default() {
        return Err(Error::bad_request("I filtri valgono per l'elenco dei protocolli."));
    }
    let t =
        s.with(|reg| raccordo_exchange::table::table(&reg.reader(), args.list, &filter, crate::session::today()))?;
    let stamp = crate::session::today().format("%Y-%m-%d");
    let (bytes, extension) = match args.format {
        SheetFormat::Csv => (raccordo_exchange::csv::write(&t, raccordo_exchange::csv::Form::Italian), "csv"),
        SheetFormat::Xlsx => (raccordo_exchange::xlsx::write(&t)?, "xlsx"),
    };
    save(s, &format!("{}-{stamp}.{extension}", args.list.word()), extension, &bytes)
}

/// The transparency open data of the office: the user chooses where `accordi.csv` goes
/// (the desktop's save dialog); `accordi.json` and `dcat.jsonld` go beside it.
pub fn opendata_export(s: &Session, _: ()) -> Result<Exported> {
    let desk = s.desk().ok_or_else(|| Error::bad_request("Salvataggio non disponibile in questa sessione."))?;
    let office = s.with(|reg| Ok(reg.settings().office_id))?.ok_or_else(|| {
        Error::bad_request("Open data: imposta prima l'ufficio di questa installazione (Impostazioni).")
    })?;
    let Some(chosen) = desk.save_path(raccordo_exchange::opendata::FILES[0]) else {
        return Ok(Exported { saved: false, path: None, open_problem: None });
    };
    let dir = chosen.parent().map(PathBuf::from).unwrap_or_default();
    s.with(|reg| raccordo_exchange::opendata::publish(&reg.reader(), office, &dir, crate::session::today()).map(drop))?;
    let open_problem = desk.open(&dir).err().map(|e| format!("La cartella {} non si è aperta: {e}", dir.display()));
    Ok(Exported { saved: true, path: Some(dir.display().to_string()), open_problem })
}
