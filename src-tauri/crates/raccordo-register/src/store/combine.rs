//! Two administrations, or two people, that are one: the way out of a key conflict
//! when two offices each registered the same body (the same fiscal or IPA code) or the
//! same person. Everything that referred to the one absorbed is re-pointed to the one
//! kept, the kept one gets the values it lacked, and the absorbed one is deleted: all
//! ordinary writes, in one transaction, so they sync like any other and a refusal
//! leaves the register as it was.

use super::{Register, Writer};
use crate::db::{Fields, rows};
use crate::error::{Error, Result};
use crate::kind::Kind;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// What combining did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Combined {
    /// Records that referred to the absorbed one and now refer to the kept one.
    pub repointed: u64,
    /// Fields of the kept one filled from the absorbed one.
    pub filled: Vec<String>,
}

impl Register {
    /// Makes `absorbed` one with `kept` (both administrations, or both people).
    pub fn combine(&mut self, kind: Kind, kept: Uuid, absorbed: Uuid) -> Result<Combined> {
        if !matches!(kind, Kind::Administration | Kind::Person) {
            return Err(Error::bad_request("Si uniscono solo due enti o due persone."));
        }
        if kept == absorbed {
            return Err(Error::bad_request("Unire: indicare due record diversi."));
        }
        if self.actor.office_id == Some(absorbed) || self.peer()?.is_some_and(|p| p.office_id == absorbed) {
            return Err(Error::bad_request(
                "L'ente da assorbire è l'ufficio di questo registro: tenere questo e assorbire l'altro.",
            ));
        }
        self.write(|w| w.combine(kind, kept, absorbed))
    }
}

impl Writer<'_> {
    fn combine(&mut self, kind: Kind, kept: Uuid, absorbed: Uuid) -> Result<Combined> {
        let r = self.reader();
        let kept_fields = r.get_fields(kind, kept)?.ok_or_else(|| Error::not_found(kind.label()))?;
        let absorbed_fields = r.get_fields(kind, absorbed)?.ok_or_else(|| Error::not_found(kind.label()))?;
        let mut out = Combined::default();

        // Every link to the absorbed one, then attachments it owns.
        let mut referrers: Vec<(Kind, Uuid, &'static str)> = Vec::new();
        for k in Kind::ALL {
            for link in k.links().iter().filter(|l| l.target == kind) {
                let mut stmt =
                    self.conn.prepare_cached(&format!("SELECT id FROM {} WHERE {} = ?1", k.table(), link.field))?;
                for id in stmt.query_map([absorbed], |row| row.get::<_, Uuid>(0))? {
                    referrers.push((k, id?, link.field));
                }
            }
        }
        let mut stmt = self.conn.prepare_cached("SELECT id FROM attachment WHERE owner_id = ?1")?;
        for id in stmt.query_map([absorbed], |row| row.get::<_, Uuid>(0))? {
            referrers.push((Kind::Attachment, id?, "owner_id"));
        }
        drop(stmt);
        for (k, id, field) in referrers {
            let mut fields = self.reader().get_fields(k, id)?.ok_or_else(|| Error::not_found(k.label()))?;
            fields.insert(field.to_owned(), Value::String(kept.to_string()));
            self.update_fields(k, fields).map_err(|e| {
                Error::bad_request(format!(
                    "Unire: {} {} non si può riferire all'altro record ({}). Nulla è stato cambiato.",
                    k.label(),
                    crate::model::title_of(&self.reader(), k, id).ok().flatten().unwrap_or_else(|| id.to_string()),
                    e.message
                ))
            })?;
            out.repointed += 1;
        }

        // The absorbed one goes first, so that its codes are free for the kept one.
        self.delete(kind, absorbed)?;
        let mut merged: Fields = kept_fields.clone();
        for (name, value) in absorbed_fields {
            let empty = merged.get(&name).is_none_or(Value::is_null);
            if empty && !value.is_null() && name != "id" {
                out.filled.push(name.clone());
                merged.insert(name, value);
            }
        }
        if !out.filled.is_empty() {
            self.update_fields(kind, merged)?;
        }
        Ok(out)
    }

    fn update_fields(&mut self, kind: Kind, fields: Fields) -> Result<()> {
        dispatch_kind!(kind, T => {
            let rec: T = rows::from_fields(fields)?;
            self.update(rec)?;
        });
        Ok(())
    }
}
