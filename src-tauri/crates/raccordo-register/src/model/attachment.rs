use super::{Kind, Record};
use crate::checks;
use crate::db::Reader;
use crate::error::{FieldCode, Result, Violations};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Allegato: a file kept by its SHA-256 and linked to one record. The bytes live once
/// in the `blob` table, however many records they are attached to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attachment {
    pub id: Uuid,
    pub owner_kind: Kind,
    pub owner_id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub description: Option<String>,
}

impl Record for Attachment {
    const KIND: Kind = Kind::Attachment;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.file_name);
        checks::tidy(&mut self.media_type);
        checks::tidy_opt(&mut self.description);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "file_name", "Nome del file", &self.file_name);
        if self.file_name.contains(['/', '\\']) {
            v.add("file_name", FieldCode::NotAllowed, "Nome del file: senza cartelle (niente / o \\).");
        }
        checks::required_line(v, "media_type", "Tipo di file", &self.media_type);
        checks::sha256_hex(v, "sha256", &Some(self.sha256.clone()));
        checks::opt_line(v, "description", "Descrizione", &self.description);
        if self.owner_kind == Kind::Attachment {
            v.add("owner_kind", FieldCode::NotAllowed, "Un allegato si collega a un record, non a un altro allegato.");
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if !r.exists(self.owner_kind, self.owner_id)? {
            v.add("owner_id", FieldCode::LinkMissing, format!("{}: non esiste nel registro.", self.owner_kind.label()));
        }
        let stored: Option<i64> = r.query_one("SELECT length(bytes) FROM blob WHERE sha256 = ?1", [&self.sha256])?;
        match stored {
            None => v.add(
                "sha256",
                FieldCode::LinkMissing,
                "Contenuto del file: non presente nell'archivio degli allegati.",
            ),
            Some(n) if n as u64 != self.size => {
                v.add("size", FieldCode::LinkMismatch, "Dimensione: non corrisponde al file archiviato.")
            }
            _ => {}
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.file_name.clone()
    }
}
