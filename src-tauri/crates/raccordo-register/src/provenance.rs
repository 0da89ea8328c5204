//! Provenance notes: which records of a register were taken from a source text
//! (`seed`) and which were made up to show the product at work (`demo`). The window
//! marks demo data so nobody mistakes it for a real act.

use crate::db::Reader;
use crate::error::Result;
use crate::store::Writer;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Facts as written in the seed texts.
    Seed,
    /// Added for the demo: not a real fact.
    Demo,
}

crate::model::labels!(Origin {
    Seed => "Dal testo di origine",
    Demo => "Dato dimostrativo",
});

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Provenance {
    pub origin: Origin,
    pub note: String,
}

pub fn mark(w: &Writer, id: Uuid, origin: Origin, note: &str) -> Result<()> {
    let origin = crate::model::enum_str(&origin);
    w.reader()
        .connection()
        .prepare_cached(
            "INSERT INTO provenance (record_id, origin, note) VALUES (?1, ?2, ?3)
             ON CONFLICT(record_id) DO UPDATE SET origin = excluded.origin, note = excluded.note",
        )?
        .execute((id, origin, note))?;
    Ok(())
}

pub fn of(r: &Reader, id: Uuid) -> Result<Option<Provenance>> {
    let row: Option<(String, String)> =
        r.query_row_opt("SELECT origin, note FROM provenance WHERE record_id = ?1", [id])?;
    Ok(row.map(|(o, note)| Provenance { origin: if o == "seed" { Origin::Seed } else { Origin::Demo }, note }))
}
