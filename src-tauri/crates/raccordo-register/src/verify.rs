//! `audit verify`: whether a register file is what its journal says it is. The chain
//! of the journal (`audit::verify`) only proves the journal was not edited; a change
//! made behind Raccordo's back to a record table, to a kept file or to the settings
//! leaves the chain intact. So this also replays the journal record by record and
//! compares every record with its row, computes the SHA-256 of every kept file again,
//! and compares the settings with their last journal row. It reports the first
//! difference, in Italian.
//!
//! It streams: the journal is read in record order through its `journal_record`
//! index, one record's rows at a time, so a 100k register is checked without holding
//! it in memory.

use crate::audit::{self, Verification};
use crate::changelog::{self, Change, without_nulls};
use crate::db::{Fields, Reader};
use crate::error::Result;
use crate::merged::{self, State};
use crate::model::Kind;
use crate::store::SETTINGS_KIND;
use rusqlite::Connection;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The chain, the records, the kept files and the settings, in that order; the first
/// problem found is in `first_broken` (the chain) or `first_difference` (the rest).
pub fn register(conn: &Connection) -> Result<Verification> {
    let mut v = audit::verify(conn)?;
    if v.first_broken.is_some() {
        return Ok(v);
    }
    v.first_difference = match records(conn, &mut v.records)? {
        Some(d) => Some(d),
        None => match files(conn, &mut v.files)? {
            Some(d) => Some(d),
            None => settings(conn)?,
        },
    };
    Ok(v)
}

/// Replays the journal one record at a time and compares each record with its row;
/// then checks that no table holds a row the journal does not know.
fn records(conn: &Connection, checked: &mut u64) -> Result<Option<String>> {
    // The directory every site loads alike is the starting state; it is never logged.
    let mut base: HashMap<Uuid, (Kind, Fields)> =
        crate::directory::base_state()?.into_iter().map(|((k, id), f)| (id, (k, without_nulls(f)))).collect();
    let mut live: BTreeMap<Kind, u64> = BTreeMap::new();
    for (kind, _) in base.values() {
        *live.entry(*kind).or_default() += 1;
    }
    let reader = Reader::new(conn);
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM journal WHERE op IN ('create', 'update', 'delete') ORDER BY record_id, seq",
        changelog::CHANGE_COLUMNS
    ))?;
    let mut rows = stmt.query([])?;
    let mut group: Vec<Change> = Vec::new();
    loop {
        let next = rows.next()?.map(changelog::change_at).transpose()?;
        if let Some(first) = group.first()
            && next.as_ref().is_none_or(|n| n.record_id != first.record_id)
        {
            let found = replay_one(&reader, std::mem::take(&mut group), &mut base, &mut live)?;
            *checked += 1;
            if found.is_some() {
                return Ok(found);
            }
        }
        match next {
            Some(change) => group.push(change),
            None => break,
        }
    }
    // Directory records no office ever changed.
    for (id, (kind, expected)) in base {
        *checked += 1;
        if let Some(d) = compare(&reader, kind, id, Some(expected))? {
            return Ok(Some(d));
        }
    }
    for kind in Kind::ALL {
        let expected = live.get(&kind).copied().unwrap_or(0);
        let stored = reader.count(kind)?;
        if stored != expected {
            return Ok(Some(unknown_rows(&reader, kind, stored, expected)?));
        }
    }
    Ok(None)
}

/// One record's changes merged as every site merges them (`merged::state`), compared
/// with its row.
fn replay_one(
    reader: &Reader,
    changes: Vec<Change>,
    base: &mut HashMap<Uuid, (Kind, Fields)>,
    live: &mut BTreeMap<Kind, u64>,
) -> Result<Option<String>> {
    let id = changes[0].record_id;
    let from_base = base.remove(&id);
    let kind = match &from_base {
        Some((k, _)) => *k,
        None => changes[0].kind,
    };
    if from_base.is_some() {
        // Counted as live at the start; counted again below if it still is.
        *live.entry(kind).or_default() -= 1;
    }
    let expected = match merged::state(reader, kind, id, &changes)? {
        State::Live(fields) => Some(fields),
        // Received, waiting for its file: unless the register says it waits, the file
        // went missing afterwards, which `files` reports.
        State::Waiting { fields, awaits } if !awaits.contains('-') && !merged::is_waiting(reader, id)? => Some(fields),
        State::Gone | State::Orphan { .. } | State::Waiting { .. } => None,
    };
    if expected.is_some() {
        *live.entry(kind).or_default() += 1;
    }
    compare(reader, kind, id, expected)
}

/// The record as stored against what the journal says; `None` when they agree.
fn compare(reader: &Reader, kind: Kind, id: Uuid, expected: Option<Fields>) -> Result<Option<String>> {
    let stored = reader.get_fields(kind, id)?.map(without_nulls);
    let what = || -> Result<String> {
        let title = crate::model::title_of(reader, kind, id).ok().flatten().unwrap_or_else(|| id.to_string());
        Ok(format!("{} «{title}»", kind.label()))
    };
    Ok(match (stored, expected) {
        (None, None) => None,
        (Some(_), None) => Some(format!("{}: è nel file, ma il registro modifiche lo dà per eliminato.", what()?)),
        (None, Some(_)) => Some(format!(
            "{} {id}: manca nel file, ma il registro modifiche non ne registra l'eliminazione.",
            kind.label()
        )),
        (Some(s), Some(e)) if s == e => None,
        (Some(s), Some(e)) => {
            let field = e.keys().chain(s.keys()).find(|k| s.get(*k) != e.get(*k)).cloned().unwrap_or_default();
            let show = |v: Option<&Value>| match v {
                None | Some(Value::Null) => "vuoto".to_owned(),
                Some(Value::String(t)) => format!("«{t}»"),
                Some(other) => format!("«{other}»"),
            };
            Some(format!(
                "{}: il campo {field} nel file è {}, secondo il registro modifiche dovrebbe essere {}.",
                what()?,
                show(s.get(&field)),
                show(e.get(&field))
            ))
        }
    })
}

/// A table holds more (or fewer) rows than the journal accounts for: name one.
fn unknown_rows(reader: &Reader, kind: Kind, stored: u64, expected: u64) -> Result<String> {
    let mut stmt = reader.connection().prepare(&format!(
        "SELECT t.id FROM {} t WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.record_id = t.id) LIMIT 1",
        kind.table()
    ))?;
    let unknown: Option<Uuid> = stmt.query_map([], |r| r.get(0))?.next().transpose()?;
    let base_ids = crate::directory::base_state()?;
    Ok(match unknown.filter(|id| !base_ids.contains_key(&(kind, *id))) {
        Some(id) => {
            let title = crate::model::title_of(reader, kind, id).ok().flatten().unwrap_or_else(|| id.to_string());
            format!("{} «{title}»: è nel file, ma il registro modifiche non ne registra la creazione.", kind.label())
        }
        None => {
            format!("{}: il file ne contiene {stored}, il registro modifiche ne prevede {expected}.", kind.plural())
        }
    })
}

/// Every kept file against its SHA-256, and every attachment against a kept file.
fn files(conn: &Connection, checked: &mut u64) -> Result<Option<String>> {
    let mut stmt = conn.prepare("SELECT sha256, bytes FROM blob")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let sha256: String = r.get(0)?;
        let bytes = r.get_ref(1)?.as_blob().unwrap_or_default();
        *checked += 1;
        if audit::hex(&Sha256::digest(bytes)) != sha256 {
            return Ok(Some(format!(
                "il file allegato con impronta {sha256} è stato modificato: i suoi byte non hanno più quell'impronta."
            )));
        }
    }
    let missing: Option<(String, String)> = Reader::new(conn).query_row_opt(
        "SELECT a.file_name, a.sha256 FROM attachment a
         WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = a.sha256) LIMIT 1",
        [],
    )?;
    Ok(missing.map(|(name, sha)| format!("l'allegato «{name}» (impronta {sha}) non ha più il suo contenuto nel file.")))
}

/// The settings in `meta` against their last journal row.
fn settings(conn: &Connection) -> Result<Option<String>> {
    let reader = Reader::new(conn);
    let last: Option<String> = reader.query_one(
        "SELECT after FROM journal WHERE op = 'settings' AND kind = ?1 ORDER BY seq DESC LIMIT 1",
        [SETTINGS_KIND],
    )?;
    let expected: Fields = match last {
        Some(text) => serde_json::from_str(&text)?,
        None => Fields::new(),
    };
    for (key, label) in crate::store::SETTINGS {
        let stored: Option<String> = reader.query_one("SELECT value FROM meta WHERE key = ?1", [key])?;
        let wanted = expected.get(key).and_then(Value::as_str).map(str::to_owned);
        if stored != wanted {
            return Ok(Some(format!(
                "nelle impostazioni {label} è {}, ma il registro modifiche registra {}.",
                stored.map_or("vuoto".to_owned(), |s| format!("«{s}»")),
                wanted.map_or("vuoto".to_owned(), |s| format!("«{s}»"))
            )));
        }
    }
    Ok(None)
}
