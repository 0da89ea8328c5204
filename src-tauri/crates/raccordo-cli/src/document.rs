//! `raccordo-cli document …`: the documents of the window, for scheduled reports.

use crate::{DocumentArgs, DocumentKind};
use raccordo_documents::{Documents, ProjectFilter, Request};
use raccordo_register::{Error, Register};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use uuid::Uuid;

pub fn run(reg: &Register, db: &Path, a: DocumentArgs) -> Result<PathBuf, Error> {
    let needs_id = matches!(a.what, DocumentKind::Protocol | DocumentKind::Convocation | DocumentKind::Minutes);
    if needs_id && a.id.is_none() {
        return Err(Error::bad_request("Documento: indica il record (l'id, o il numero di registro del protocollo)."));
    }
    if !needs_id && a.id.is_some() {
        return Err(Error::bad_request("Documento: un report non riguarda un record; usa i filtri (--status…)."));
    }
    let id = a.id.as_deref().unwrap_or_default();
    let request = match a.what {
        DocumentKind::Protocol => Request::Protocol { agreement_id: agreement(reg, id)? },
        DocumentKind::Convocation => Request::Convocation { meeting_id: uuid(id)? },
        DocumentKind::Minutes => Request::Minutes { meeting_id: uuid(id)? },
        DocumentKind::AgreementsReport => Request::AgreementsReport { filter: a.filter.filter()? },
        DocumentKind::ProjectsReport => Request::ProjectsReport {
            filter: ProjectFilter {
                status: a.filter.status.as_deref().map(|s| choice(s, "Stato")).transpose()?,
                agreement_id: a.agreement.as_deref().map(|x| agreement(reg, x)).transpose()?,
            },
        },
        DocumentKind::OverdueReport => Request::OverdueReport,
    };
    let documents = Documents::new(Some(&raccordo_documents::templates_dir_for(db)));
    let made = documents.make(reg, &request, a.at.unwrap_or_else(chrono::Utc::now))?;
    for note in &made.template_notes {
        eprintln!("avviso: {note}");
    }
    raccordo_documents::write(&made, &a.out)?;
    Ok(a.out)
}

fn uuid(s: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(s.trim()).map_err(|_| Error::bad_request(format!("Identificativo non valido: «{s}».")))
}

/// An agreement by id, or by its register number ("2007/12").
fn agreement(reg: &Register, s: &str) -> Result<Uuid, Error> {
    if let Ok(id) = Uuid::parse_str(s.trim()) {
        return Ok(id);
    }
    reg.reader()
        .query_one("SELECT id FROM agreement WHERE number = ?1", [s.trim()])?
        .ok_or_else(|| Error::not_found(&format!("Protocollo n. {}", s.trim())))
}

/// A status or kind as the register spells it (`in_firma`), with the choices on error.
pub(crate) fn choice<T: DeserializeOwned>(s: &str, what: &str) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).map_err(|e| {
        let msg = e.to_string();
        let expected = msg.split("expected ").nth(1).unwrap_or("");
        let expected = expected.trim_start_matches("one of ").replace('`', "");
        Error::bad_request(format!("{what}: «{s}» non è un valore ammesso (ammessi: {expected})."))
    })
}
