//! The journal as the change log that sync exchanges. Every write of a record is one
//! journal row: the fields that changed with their new values, stamped with the
//! hybrid logical clock and the site; a delete is a tombstone. Merge (in the sync
//! work) is per field: a field's clock is the stamp of the last row that set it.
//! On create, empty fields are not listed: a field not named is empty.

use crate::db::Fields;
use crate::error::Result;
use crate::hlc::Stamp;
use crate::model::Kind;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Put,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub seq: i64,
    pub hlc: Stamp,
    pub site: Uuid,
    pub kind: Kind,
    pub record_id: Uuid,
    pub op: Op,
    /// New values of the changed fields; `None` for a delete.
    pub fields: Option<Fields>,
}

/// Remembers a deleted id, so that it is never reused and sync never revives it.
pub(crate) fn tombstone(conn: &Connection, hlc: Stamp, site: Uuid, kind: Kind, id: Uuid) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO tombstone (record_id, kind, hlc, site) VALUES (?1, ?2, ?3, ?4)")?
        .execute((id, kind.table(), hlc.0 as i64, site))?;
    Ok(())
}

pub fn is_tombstoned(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM tombstone WHERE record_id = ?1")?.exists([id])?)
}

/// Changes after `after_seq`, oldest first, at most `limit`: what a sync push sends.
pub fn since(conn: &Connection, after_seq: i64, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, hlc, site, kind, record_id, op, after FROM journal
         WHERE seq > ?1 AND op IN ('create', 'update', 'delete') ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query((after_seq, limit as i64))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(3)?;
        let fields: Option<String> = r.get(6)?;
        out.push(Change {
            seq: r.get(0)?,
            hlc: Stamp(r.get::<_, i64>(1)? as u64),
            site: r.get(2)?,
            kind: Kind::from_table(&kind).ok_or_else(|| bad(&kind))?,
            record_id: r.get(4)?,
            op: if r.get::<_, String>(5)? == "delete" { Op::Delete } else { Op::Put },
            fields: fields.map(|f| serde_json::from_str(&f)).transpose()?,
        });
    }
    Ok(out)
}

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| bad(s))
}

fn bad(what: &str) -> crate::error::Error {
    crate::error::Error::new(
        crate::error::ErrorCode::Storage,
        format!("Registro delle modifiche non leggibile: {what}"),
    )
}

/// The state the change log describes: every live record's fields, starting from
/// `base` (the pre-loaded directory, which every site derives alike and never logs).
/// Rows are applied in clock order, so the result is the same on every site that
/// holds the same rows, whatever order they arrived in.
pub fn replay(conn: &Connection, base: BTreeMap<(Kind, Uuid), Fields>) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut state: BTreeMap<_, Fields> = base.into_iter().map(|(k, f)| (k, without_nulls(f))).collect();
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let batch = since(conn, after, 10_000)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        all.extend(batch);
    }
    all.sort_by_key(|a| (a.hlc, a.site));
    for c in all {
        let key = (c.kind, c.record_id);
        match c.op {
            Op::Delete => {
                state.remove(&key);
            }
            Op::Put => apply(state.entry(key).or_default(), c.record_id, c.fields.unwrap_or_default()),
        }
    }
    Ok(state)
}

/// Sets a record's fields as one create or update row logged them (a null clears).
pub fn apply(record: &mut Fields, id: Uuid, logged: Fields) {
    // The id is the row's key, not one of its logged fields.
    record.insert("id".into(), Value::String(id.to_string()));
    for (k, v) in logged {
        if v.is_null() {
            record.remove(&k);
        } else {
            record.insert(k, v);
        }
    }
}

/// The clock of every field of one record: the stamp and site of the last journal
/// row that set it. Sync compares an incoming change with these, field by field
/// (last writer wins; a concurrent different value is kept as a conflict).
pub fn field_clocks(conn: &Connection, record_id: Uuid) -> Result<BTreeMap<String, (Stamp, Uuid)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, site, after FROM journal WHERE record_id = ?1 AND op IN ('create', 'update') ORDER BY seq",
    )?;
    let mut rows = stmt.query([record_id])?;
    let mut clocks = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let stamp = Stamp(r.get::<_, i64>(0)? as u64);
        let site: Uuid = r.get(1)?;
        let after: Fields = serde_json::from_str(&r.get::<_, String>(2)?)?;
        for (field, _) in after {
            let entry = clocks.entry(field).or_insert((stamp, site));
            if (stamp, site) > *entry {
                *entry = (stamp, site);
            }
        }
    }
    Ok(clocks)
}

/// A record's fields without the empty ones, the shape the journal logs a create in.
pub fn without_nulls(mut f: Fields) -> Fields {
    f.retain(|_, v| !v.is_null());
    f
}

/// The journal's JSON of a created or deleted record: every field but the id, the
/// empty ones left out. The same text as serialising `without_nulls` minus `id`,
/// without copying the fields.
pub(crate) fn logged_json(f: &Fields) -> Result<String> {
    struct Logged<'a>(&'a Fields);
    impl Serialize for Logged<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(None)?;
            for (k, v) in self.0.iter().filter(|(k, v)| k.as_str() != "id" && !v.is_null()) {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
    Ok(serde_json::to_string(&Logged(f))?)
}

/// Every record as stored now, in the same shape as [`replay`] (empty fields left out).
pub fn snapshot(conn: &Connection) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut out = BTreeMap::new();
    for kind in Kind::ALL {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {}", kind.table()))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let f = crate::db::rows::row_fields(kind, row)?;
            let id = f.get("id").and_then(Value::as_str).map(parse_uuid).transpose()?.ok_or_else(|| bad("id"))?;
            out.insert((kind, id), without_nulls(f));
        }
    }
    Ok(out)
}
