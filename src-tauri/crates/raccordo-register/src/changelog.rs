//! The change log that sync will exchange. Every write of a record appends one row:
//! the fields that changed with their new values, stamped with the hybrid logical
//! clock and the site. A delete appends a tombstone. Merge (in the sync work) is
//! per field: a field's clock is the stamp of the last row that set it.

use crate::error::Result;
use crate::hlc::Stamp;
use crate::model::Kind;
use crate::store::rows::Fields;
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

pub(crate) fn append_put(conn: &Connection, hlc: Stamp, site: &str, kind: Kind, id: &str, fields: &Fields) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO change (hlc, site, kind, record_id, op, fields) VALUES (?1, ?2, ?3, ?4, 'put', ?5)",
    )?
    .execute((hlc.0 as i64, site, kind.table(), id, serde_json::to_string(fields)?))?;
    Ok(())
}

pub(crate) fn append_delete(conn: &Connection, hlc: Stamp, site: &str, kind: Kind, id: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO change (hlc, site, kind, record_id, op, fields) VALUES (?1, ?2, ?3, ?4, 'delete', NULL)",
    )?
    .execute((hlc.0 as i64, site, kind.table(), id))?;
    conn.prepare_cached("INSERT OR REPLACE INTO tombstone (record_id, kind, hlc, site) VALUES (?1, ?2, ?3, ?4)")?
        .execute((id, kind.table(), hlc.0 as i64, site))?;
    Ok(())
}

pub fn is_tombstoned(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM tombstone WHERE record_id = ?1")?.exists([id])?)
}

/// Changes after `after_seq`, oldest first, at most `limit`: what a sync push sends.
pub fn since(conn: &Connection, after_seq: i64, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, hlc, site, kind, record_id, op, fields FROM change WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = stmt.query((after_seq, limit as i64))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(3)?;
        let fields: Option<String> = r.get(6)?;
        out.push(Change {
            seq: r.get(0)?,
            hlc: Stamp(r.get::<_, i64>(1)? as u64),
            site: parse_uuid(&r.get::<_, String>(2)?)?,
            kind: Kind::from_table(&kind).ok_or_else(|| bad(&kind))?,
            record_id: parse_uuid(&r.get::<_, String>(4)?)?,
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
    crate::error::Error::new(crate::error::ErrorCode::Storage, format!("Registro delle modifiche non leggibile: {what}"))
}

/// The state the change log describes: every live record's fields, starting from
/// `base` (the pre-loaded directory, which every site derives alike and never logs).
/// Rows are applied in clock order, so the result is the same on every site that
/// holds the same rows, whatever order they arrived in.
pub fn replay(conn: &Connection, base: BTreeMap<(Kind, Uuid), Fields>) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut state = base;
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let batch = since(conn, after, 10_000)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        all.extend(batch);
    }
    all.sort_by(|a, b| (a.hlc, a.site).cmp(&(b.hlc, b.site)));
    for c in all {
        let key = (c.kind, c.record_id);
        match c.op {
            Op::Delete => {
                state.remove(&key);
            }
            Op::Put => {
                let entry = state.entry(key).or_default();
                // The id is the row's key, not one of its logged fields.
                entry.insert("id".into(), Value::String(c.record_id.to_string()));
                for (k, v) in c.fields.unwrap_or_default() {
                    entry.insert(k, v);
                }
            }
        }
    }
    Ok(state)
}

/// Every record as stored now, in the same shape as [`replay`].
pub fn snapshot(conn: &Connection) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut out = BTreeMap::new();
    for kind in Kind::ALL {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {}", kind.table()))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let f = crate::store::rows::row_fields(kind, row)?;
            let id = f.get("id").and_then(Value::as_str).map(parse_uuid).transpose()?.ok_or_else(|| bad("id"))?;
            out.insert((kind, id), f);
        }
    }
    Ok(out)
}
